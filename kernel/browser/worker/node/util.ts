/** @file `node:util` in the worker (scripts/build-site.mjs maps it here): `inspect` is the library's printer of values. */
import { inspectValue } from "../../../../src/platform/inspect.js";

export function inspect(value: unknown, opts?: { depth?: number | null }): string {
  const depth = opts?.depth;
  return inspectValue(value, depth === null ? Infinity : (depth ?? 2));
}

export default { inspect };
