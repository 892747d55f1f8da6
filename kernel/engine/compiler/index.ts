/**
 * @file gradlab's TypeScript cell compiler: type-checks a cell against the declarations of the
 * cells before it and emits CommonJS that stores the cell's names in the notebook's `exports`.
 *
 * It keeps tslab's model (tslab's `converter.ts`, Apache-2.0, by Yu Watanabe; same compiler
 * fork, same options, same output contract) but is built for speed:
 * - the warm checker (warm-checker.ts): the usual cell is checked by the type checker of the last
 *   full build, so no program and no checker is built for it;
 * - a full build (full-build.ts) is one plain `ts.createProgram` that reuses the previous program
 *   and the host's cache of parsed files (host.ts);
 * - the cell's `export { names }` is written from a parse (`topLevelNames`, syntax.ts), so the
 *   program is built once per cell, not twice;
 * - CommonJS is emitted directly (emit.ts; tslab emits ES modules and then re-compiles them to
 *   CommonJS);
 * - `@types` packages are listed once, module resolutions are cached, and the previous
 *   declarations are reprinted only when a cell overrides some of them (cell-transforms.ts).
 * It also fixes tslab's defects (top-level `__names`, cells that `export`, `{ x }` shorthand of
 * an earlier name, a top-level `for await`), emits a source map for exact runtime error lines,
 * and resolves `import ... from "gradlab"` / `"tslab"` from any notebook folder. Completion and
 * inspection are in language-service.ts. Every part works on the one state object of state.ts.
 *
 * Part of the cell engine (kernel/engine/): the same files run in both hosts. The Node built-ins
 * they import (fs, module, path) are filled in the browser host by stand-ins, and the compiler's
 * loader (ts-loader.ts) is a seam the browser bundle replaces whole.
 */
import { fullConvert } from "./full-build.js";
import type * as TS from "@tslab/typescript-for-tslab";
import { createCompilerState, localModulesStamp, useNodeTypes } from "./host.js";
import { complete, inspect } from "./language-service.js";
import { needsNode, nodeSuggested } from "./node-types.js";
import { loadTypeScript, tsSnapshot } from "./ts-loader.js";
import { PREFIX, type CompilerState } from "./state.js";
import { topLevelNames } from "./syntax.js";
import type { ConvertResult, Converter, ConverterOptions } from "./types.js";
import { warmConvert } from "./warm-checker.js";

export { REPO_ROOT } from "./host.js";
export { topLevelNames } from "./syntax.js";
export { INTERRUPT_FLAG, INTERRUPT_RAISE } from "./cell-transforms.js";
export type { Completion, ConvertResult, Converter, ConverterOptions, Diagnostic, Position, SideOutput } from "./types.js";
export type { NodeTriggers } from "./node-types.js";

/**
 * Create the compiler rooted at `cwd` (the notebook directory). The first convert takes ~1 s:
 * it parses the lib declarations (and `@types/node`, node-types.ts), once per kernel.
 *
 * @example
 * const conv = createTsConverter(process.cwd());
 * conv.convert("", "const __x: number = 1; __x").output // "exports.__x = 1;\nconst tsLastExpr = exports.__x;\nreturn { value: tsLastExpr };\n"
 */
export function createTsConverter(cwd: string, converterOptions: ConverterOptions = {}): Converter {
  const ts = loadTypeScript().ts;
  const triggers = converterOptions.nodeTypes === "always" ? undefined : (converterOptions.nodeTypes ?? tsSnapshot()?.nodeTriggers);
  const s = createCompilerState(ts, cwd, converterOptions.warm ?? true, triggers);
  s.interruptChecks = converterOptions.interruptChecks ?? false;
  if (converterOptions.beforeNodeBuild) s.beforeNodeBuild = converterOptions.beforeNodeBuild;
  return {
    convert: (prevDecl, code) => convert(s, prevDecl, code),
    complete: (prevDecl, code, cursor) => {
      forNode(s, code);
      return complete(s, prevDecl, code, cursor);
    },
    inspect: (prevDecl, code, cursor) => {
      forNode(s, code);
      return inspect(s, prevDecl, code, cursor);
    },
    close: () => s.files.clear(),
    modulesStamp: () => localModulesStamp(s),
    inputs: () => [...s.files].flatMap(([name, f]) => (f.mtime === undefined ? [] : [[s.real(name), f.mtime] as [string, number]])),
    stats: () => ({ ...s.counts, warm: s.warm !== undefined, declFiles: s.chain?.files.length ?? 0, nodeTypes: s.nodeTypes }),
  };
}

/** Takes `@types/node` when the cell needs it (node-types.ts); returns the cell parsed (`__tslab__.<n>.ts`, the warm checker's name for it). */
function forNode(s: CompilerState, code: string): TS.SourceFile {
  const { ts } = s;
  const parsed = ts.createSourceFile(`${s.cwd}/__tslab__.${++s.cellSeq}.ts`, PREFIX + code, ts.ScriptTarget.ES2022, true);
  if (!s.nodeTypes && needsNode(ts, parsed, s.nodeNames!)) useNodeTypes(s);
  return parsed;
}

/**
 * A cell with the warm checker when it can take it, else with a full build; checked again with
 * `@types/node` when without it a name not found might have read otherwise (node-types.ts).
 */
function convert(s: CompilerState, prevDecl: string, code: string): ConvertResult {
  const result = convertOnce(s, prevDecl, code);
  if (s.nodeTypes || !nodeSuggested(s.ts, result.diagnostics, s.nodeNames!)) return result;
  useNodeTypes(s);
  return convertOnce(s, prevDecl, code);
}

function convertOnce(s: CompilerState, prevDecl: string, code: string): ConvertResult {
  const { ts } = s;
  // Parsed once, as the warm checker's file of this cell (a full build parses its own).
  const parsed = forNode(s, code);
  const names = topLevelNames(ts, code, parsed);
  if (names) {
    const fast = warmConvert(s, prevDecl, code, names, { fileName: parsed.fileName, parsed });
    if (fast) return fast;
  }
  return fullConvert(s, prevDecl, code, names);
}
