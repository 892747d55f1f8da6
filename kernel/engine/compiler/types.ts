/** @file What the cell compiler gives the executor: its results, diagnostics and completions. */
import type * as TS from "@tslab/typescript-for-tslab";
import type { NodeTriggers } from "./node-types.js";

/** A position in a cell (zero-based line and character) or in a side module. */
export interface Position {
  offset: number;
  line: number;
  character: number;
}

/** One TypeScript diagnostic; `fileName` is set when it is in an imported local module. */
export interface Diagnostic {
  start: Position;
  end: Position;
  messageText: string;
  category: number;
  code: number;
  fileName?: string;
}

/** A local `.ts`/`.js` module a cell imports, compiled to CommonJS (`path`: its `.js` path). */
export interface SideOutput {
  path: string;
  data: string;
}

/** What {@link Converter.convert} gives back. */
export interface ConvertResult {
  /** CommonJS body to run as `(function (exports, require) { ... })` (`async` when it awaits). Absent on errors. */
  output?: string;
  /** Declarations of everything defined so far, for the next cell. Absent on errors. */
  declOutput?: string;
  diagnostics: Diagnostic[];
  /** Whether the cell awaits at top level (run it in an async function). */
  hasToplevelAwait?: boolean;
  /** Local modules compiled for the first time (or again after they changed). */
  sideOutputs?: SideOutput[];
  /**
   * The local holding the cell's last expression, when it ends with one: the function then
   * returns `{ value }` (a promise of it when the cell awaits).
   */
  lastExpressionVar?: string;
  /**
   * The source map of `output` (its `mappings` field, source lines counted from the cell's
   * first line), so runtime errors point at the exact cell line (`sourceLine` in source-map.ts).
   */
  mappings?: string;
}

/** Completion candidates replacing `code.slice(start, end)`. */
export interface Completion {
  start: number;
  end: number;
  candidates: string[];
}

/** A cell compiler bound to one notebook directory. */
export interface Converter {
  convert(prevDecl: string, code: string): ConvertResult;
  complete(prevDecl: string, code: string, cursor: number): Completion;
  inspect(prevDecl: string, code: string, cursor: number): TS.QuickInfo | undefined;
  close(): void;
  /**
   * A number that changes when a local module the compiler has read changes on disk (mtime or
   * text): a conversion memoized under another number may have been checked against, and may
   * load, the old module. It stats (and reads) only the notebook's local modules.
   */
  modulesStamp(): number;
  /**
   * The files read so far that may change on disk, with the mtime each had when read: every
   * declaration file and module the cells were checked against, except the compiler's lib (which
   * changes only with the compiler's own file).
   */
  inputs(): [path: string, mtimeMs: number][];
  /**
   * How many cells a full build compiled, how many the warm checker did, whether a warm checker is
   * ready for the next cell, and how many files its previous declarations are in now (for tests
   * and benchmarks), and whether cells are checked against `@types/node` now (node-types.ts).
   */
  stats(): { fullBuilds: number; warmCells: number; warm: boolean; declFiles: number; nodeTypes: boolean };
}

/** Options of `createTsConverter`. */
export interface ConverterOptions {
  /** Reuse the type checker of the last full build for later cells (the warm checker; default true). False: a full build per cell. */
  warm?: boolean;
  /**
   * When cells are checked against `@types/node` (node-types.ts): `"always"`, or from the first
   * cell that needs it, by these triggers. Default: by the triggers of the executor's startup
   * snapshot when it started from one, else always.
   */
  nodeTypes?: "always" | NodeTriggers;
  /**
   * Check an interrupt flag shared with another thread at the start of every loop body and
   * function body of the cells (cell-transforms.ts: `interruptChecks`), for a host that cannot
   * terminate running JavaScript and keep its state (the browser's). Default false: the Node
   * executor's watchdog terminates it instead.
   */
  interruptChecks?: boolean;
  /**
   * Told before each program is built against `@types/node` (a cell's full build, a completion's
   * or an inspection's: with its 2 MB of declarations to check, a kernel's longest compiles), for
   * a host that prepares for long-running code.
   */
  beforeNodeBuild?: () => void;
}
