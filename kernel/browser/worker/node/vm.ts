/**
 * @file `node:vm` in the worker (scripts/build-site.mjs maps it here): scripts run in the
 * worker's global scope, named for stack traces as Node names them (`filename`).
 */
export function runInThisContext(code: string, opts?: string | { filename?: string }): unknown {
  const filename = typeof opts === "string" ? opts : opts?.filename;
  // An indirect eval: global scope, as vm.runInThisContext.
  const globalEval = eval;
  return globalEval(filename ? `${code}\n//# sourceURL=${filename}` : code);
}

export default { runInThisContext };
