/** @file `node:perf_hooks` in the worker (scripts/build-site.mjs maps it here). */
export const performance = globalThis.performance;
export default { performance };
