/**
 * @file Runs TypeScript cells: gradlab's cell compiler (compiler/: type check + emit) then
 * `vm` in this process, with notebook state in one `exports` object, interrupts, local modules
 * and gradlab/tslab module hooks.
 *
 * Part of the cell engine (kernel/engine/), which both hosts run: its `node:module` and `node:vm`
 * are filled in the browser host by stand-ins (kernel/browser/worker/node/); what only a host can
 * do (stopping code, telling why, readying the JIT for user code) it takes as hooks
 * ({@link Executor.onAsyncPhase}, {@link Executor.stopCause}, {@link Executor.beforeLongWork}).
 */
import Module, { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";
import vm from "node:vm";
import {
  createTsConverter,
  INTERRUPT_FLAG,
  INTERRUPT_RAISE,
  type Completion,
  type ConvertResult,
  type Converter,
} from "./compiler/index.js";
import { DISPLAY_DECLARATIONS, type DisplayApi } from "./display.js";
import { saveTypeScriptCache, tsSnapshot } from "./compiler/ts-loader.js";
import { syncDiagnosticsLanguage } from "./compiler/locale.js";
import { CellError, cellLineOf, diagnosticsError, registerCellScript, runtimeError } from "./errors.js";

/**
 * Where a frame of a cell script is in its cell, for code outside the kernel (the homework
 * checker naming where a student's answer raised): published on `globalThis` under
 * `Symbol.for("gradlab.cellLine")` as `(script, line, column) => cell line` (1-based, undefined
 * when unknown).
 */
(globalThis as Record<symbol, unknown>)[Symbol.for("gradlab.cellLine")] = cellLineOf;
import { tr } from "../../src/i18n/index.js";
import * as library from "../../src/index.js";

/** Raised into a pending `await` when the user interrupts. */
export class InterruptedError extends Error {
  override name = "KeyboardInterrupt";
}

/** Why the running code was stopped, as the host sees it (the Node host's watchdog: memory). */
export type StopCause = { reason: "memory"; usedMb: number; limitMb: number };

/**
 * The error shown for a stopped cell: interrupted by the user, or stopped by the executor's
 * watchdog because the JavaScript heap neared its limit (`cause`).
 */
export function interruptedError(cause?: StopCause): CellError {
  if (cause?.reason === "memory") {
    const evalue = tr(
      "out of memory: the cell was stopped with {used} MB of live objects in a JavaScript heap limited to {limit} MB. Your variables are kept, and so is what they reference: drop large values (e.g. `big = []`) or restart the kernel. The limit follows GRADLAB_MEMORY_LIMIT (see README).",
      { used: cause.usedMb, limit: cause.limitMb },
    );
    return new CellError({ ename: "MemoryError", evalue, traceback: [`MemoryError: ${evalue}`] });
  }
  return new CellError({
    ename: "KeyboardInterrupt",
    evalue: tr("Interrupted"),
    traceback: [`KeyboardInterrupt: ${tr("execution interrupted by the user")}`],
  });
}

/** Result of running one piece of TypeScript. */
export interface RunResult {
  /** Whether the code ended with an expression (its value is `value`). */
  hasValue: boolean;
  value: unknown;
}

/** How many converted cells to remember (least recently used are dropped). */
const CACHE_SIZE = 64;

/** Names the kernel puts into every notebook's scope (hidden from %who). */
export const BUILTIN_NAMES = new Set(["display"]);

/**
 * Holds one notebook's state and runs code in it.
 *
 * @example
 * const ex = new Executor(process.cwd(), display, shim);
 * await ex.run("const x: number = 2;", "cell[1]", 0);
 * (await ex.run("x * 3", "cell[2]", 0)).value // 6
 */
export class Executor {
  private conv: Converter | undefined;
  private readonly cache = new Map<string, ConvertResult>();
  private prevDecl = DISPLAY_DECLARATIONS;
  /** Every top-level name the notebook defined: one property per name, which cells and their functions read and write. */
  readonly scope: Record<string, unknown>;
  private readonly require: NodeJS.Require;
  /** Local `.ts` modules compiled for cells (by `.js` path), and those already loaded. */
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();
  private abort = new AbortController();
  private rejectInterrupt: (e: Error) => void = () => undefined;
  private interruptPromise!: Promise<never>;
  /** Shared with the thread that interrupts, when cells check it ({@link checkInterrupts}). */
  private interruptFlag: Int32Array | undefined;

  /** Told when a cell enters (true) and leaves (false) its asynchronous phase. */
  onAsyncPhase: (active: boolean) => void = () => undefined;
  /** The request or comm message on whose behalf code runs now (see {@link interruptible}). */
  owner: () => number = () => 0;
  /** Owners of the synchronous calls in progress, outermost first. */
  private readonly syncCalls: number[] = [];
  /** Whether code run here has imported gradlab. */
  importedGradlab = false;
  /** Why the running code was stopped, when it was not the user (see lifeline.ts). */
  stopCause: () => StopCause | undefined = () => undefined;
  /**
   * Told before work that runs long: user code (a cell's script, a magic) and a compile against
   * `@types/node` (`ConverterOptions.beforeNodeBuild`). The host's hook.
   */
  beforeLongWork: () => void = () => undefined;
  /**
   * A cell's conversion made ahead for these previous declarations, or undefined: the host's
   * table of the shipped notebooks' cells (kernel/node/precompiled.ts), asked before the compiler
   * when cells are compiled without interrupt checks (as the table's were).
   */
  precompiled: (prevDecl: string, code: string) => ConvertResult | undefined = () => undefined;

  constructor(
    readonly cwd: string,
    display: DisplayApi,
    tslabShim: Record<string, unknown>,
  ) {
    // A plain object: cells read and write notebook names as its properties (compiler/cell-transforms.ts).
    this.scope = { display };
    const base = createRequire(join(cwd, "__notebook__.js"));
    const hooked = (req: NodeJS.Require, dir: string): NodeJS.Require =>
      new Proxy(req, {
        apply: (_t, _this, args: unknown[]) => {
          const id = args[0] as string;
          if (id === "tslab") return tslabShim;
          if (id === "gradlab") {
            this.importedGradlab = true;
            // The notebook folder's own node_modules/gradlab if it has one, else this package's
            // library: the instance the engine and the magics use (a host that runs them as one
            // bundle has no other).
            try {
              return req("gradlab");
            } catch {
              return library;
            }
          }
          if (id.startsWith("./") || id.startsWith("../")) {
            const local = this.requireSide(join(dir, extname(id) ? id : `${id}.js`), hooked);
            if (local) return local.exports;
          }
          return req(id);
        },
      });
    this.require = hooked(base, cwd);
    vm.runInThisContext("(x) => { globalThis.__gradlab__ = x; }")({ exports: this.scope, require: this.require });
    this.resetInterrupt();
  }

  /** Load a compiled local module (once per compilation), with the same require hooks. */
  private requireSide(filename: string, hooked: (req: NodeJS.Require, dir: string) => NodeJS.Require): Module | undefined {
    const cached = this.sideModules.get(filename);
    if (cached) return cached;
    const code = this.sideOutputs.get(filename);
    if (code === undefined) return undefined;
    const mod = new Module(filename);
    mod.filename = filename;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(filename));
    mod.require = hooked(createRequire(filename), dirname(filename));
    this.sideModules.set(filename, mod);
    (mod as unknown as { _compile(code: string, filename: string): void })._compile(code, filename);
    mod.loaded = true;
    return mod;
  }

  /** Create the TypeScript converter now rather than on the first cell. */
  warm(): void {
    if (this.conv) return;
    this.conv = createTsConverter(this.cwd, {
      interruptChecks: this.interruptFlag !== undefined,
      beforeNodeBuild: () => this.beforeLongWork(),
    });
    // Compile an empty cell: parses the lib and @types/node declarations (most of the second)
    // (an executor without the snapshot takes @types/node from the start, node-types.ts)
    // now, while the user is still reading, instead of in the first cell. An executor started
    // from its snapshot has them parsed already: the first cell's build is all that is left.
    if (!tsSnapshot()) this.conv.convert(this.prevDecl, "");
    // Then keep V8's compiled code of the compiler for the next kernel (a moment later, so a
    // first cell already waiting is not delayed by the write).
    setTimeout(saveTypeScriptCache, 1000).unref?.();
  }

  /** Aborted when the running code is interrupted. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Interrupt a pending `await` and abort {@link signal} (blocking code is terminated by the watchdog). */
  interrupt(): void {
    this.abort.abort(new InterruptedError("Interrupted"));
    this.rejectInterrupt(new InterruptedError("Interrupted"));
  }

  /**
   * Stop cell code by a flag another thread sets, for a host that cannot terminate JavaScript
   * and keep its state (the browser's): cells are compiled with a check of `flag[0]` at the start
   * of every loop body and function body (compiler/cell-transforms.ts), which throws the
   * interrupt while it is non-zero. The other thread stores the id of the newest request the
   * interrupt is meant for (see {@link owner}): {@link resetInterrupt} clears it when a later
   * request starts, so an interrupt that arrives before its request has started still stops it.
   * Call before the first cell.
   */
  checkInterrupts(flag: Int32Array): void {
    if (this.conv) throw new Error("checkInterrupts: call it before the first cell");
    this.interruptFlag = flag;
    const g = globalThis as Record<string, unknown>;
    g[INTERRUPT_FLAG] = flag;
    g[INTERRUPT_RAISE] = () => {
      throw new InterruptedError("Interrupted");
    };
  }

  /** Re-arm interrupts before each request. */
  resetInterrupt(): void {
    const flag = this.interruptFlag;
    const aimed = flag ? Atomics.load(flag, 0) : 0;
    if (aimed !== 0 && aimed < this.owner()) Atomics.compareExchange(flag!, 0, aimed, 0);
    if (this.abort.signal.aborted) this.abort = new AbortController();
    this.interruptPromise = new Promise<never>((_, reject) => {
      this.rejectInterrupt = reject;
    });
    this.interruptPromise.catch(() => undefined);
  }

  /**
   * Type-check, emit and run `code`; throws {@link CellError} with cell lines
   * (`lineOffset`: where `code` starts in its cell) for type and runtime errors.
   */
  async run(code: string, scriptName: string, lineOffset: number): Promise<RunResult> {
    // Interruptible: a slow type check (a big cell on a loaded server) stops on interrupt too,
    // instead of outlasting the grace period and costing the notebook its state.
    const converted = this.interruptible(() => this.convert(code));
    if (converted.diagnostics.length > 0) throw new CellError(diagnosticsError(converted.diagnostics, lineOffset));
    for (const side of converted.sideOutputs ?? []) {
      this.sideOutputs.set(side.path, side.data);
      this.sideModules.delete(side.path);
    }
    // Declarations of a cell stay usable whatever becomes of it (an error, an interrupt), as its
    // values may be (partly) assigned: record them before it runs.
    this.prevDecl = converted.declOutput || this.prevDecl;
    if (!converted.output) return { hasValue: false, value: undefined };
    const prefix = converted.hasToplevelAwait ? "(async function(exports, require) { " : "(function(exports, require) { ";
    const wrapped = `${prefix}${converted.output}\n})(__gradlab__.exports, __gradlab__.require)`;
    const map = converted.mappings ? { mappings: converted.mappings, shift: prefix.length } : undefined;
    registerCellScript(scriptName, { js: wrapped, ts: code, lineOffset, map });
    this.beforeLongWork();
    let ret: unknown;
    try {
      ret = this.interruptible(() => vm.runInThisContext(wrapped, { filename: scriptName }));
      if (converted.hasToplevelAwait) {
        // While the cell awaits, an interrupt rejects this race; code after an `await` that
        // blocks the thread is terminated by the watchdog (lifeline.ts).
        this.onAsyncPhase(true);
        try {
          ret = await Promise.race([ret, this.interruptPromise]);
        } finally {
          this.onAsyncPhase(false);
        }
      }
    } catch (e) {
      if (e instanceof InterruptedError) {
        throw this.interruptedError();
      }
      throw new CellError(runtimeError(e, scriptName, wrapped, code, lineOffset, map));
    }
    if (!converted.lastExpressionVar) return { hasValue: false, value: undefined };
    return { hasValue: true, value: (ret as { value: unknown }).value };
  }

  /** The error for code that was just stopped (by the user, or for memory). */
  interruptedError(): CellError {
    return interruptedError(this.stopCause());
  }

  /**
   * Run synchronous work an interrupt may stop: cell scripts, the compile, magics' loops. An
   * interrupt stops it by terminating JavaScript (watchdog.ts), which unwinds every frame at
   * once, this one's `finally` included: so a call still on {@link syncCalls} once the thread
   * is free again was cut short, and the request or comm message that made it is over.
   */
  interruptible<T>(fn: () => T): T {
    this.syncCalls.push(this.owner());
    try {
      return fn();
    } finally {
      this.syncCalls.pop();
    }
  }

  /**
   * After a termination: who owned the synchronous work it cut short (the outermost call),
   * or undefined when it cut none. Forgets those calls.
   */
  takeCutShort(): number | undefined {
    const owner = this.syncCalls[0];
    this.syncCalls.length = 0;
    return owner;
  }

  /**
   * The compile, memoized: re-running a cell with the same earlier declarations gives the
   * same output, and skipping the TypeScript rebuild makes re-runs (and `%timeit`-style
   * loops over cells) take microseconds instead of tens of milliseconds. Only successful
   * conversions of cells without import/require are cached, since module files on disk may
   * change (e.g. after `%npm install`). The key holds the local modules' stamp: a cell compiled
   * against a module that has since changed on disk is compiled (and checked) again. A cell not
   * remembered may have been compiled ahead ({@link precompiled}).
   */
  private convert(code: string): ConvertResult {
    const key = `${this.conv?.modulesStamp() ?? 0}\u0000${this.prevDecl}\u0000${code}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const ahead = this.interruptFlag === undefined ? this.precompiled(this.prevDecl, code) : undefined;
    if (ahead) return ahead;
    this.warm();
    syncDiagnosticsLanguage();
    const converted = this.conv!.convert(this.prevDecl, code);
    if (converted.diagnostics.length === 0 && !converted.sideOutputs && !/\b(import|require)\b/.test(code)) {
      this.cache.set(key, converted);
      if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    return converted;
  }

  /** Completions at `cursor`. */
  complete(code: string, cursor: number): Completion {
    this.warm();
    return this.conv!.complete(this.prevDecl, code, cursor);
  }

  /** Quick info (type and docs) at `cursor`, or undefined. */
  inspect(code: string, cursor: number): import("@tslab/typescript-for-tslab").QuickInfo | undefined {
    this.warm();
    return this.conv!.inspect(this.prevDecl, code, cursor);
  }

  /** The notebook's own top-level names and values (no kernel built-ins). */
  userScope(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(this.scope)) if (!BUILTIN_NAMES.has(k)) out[k] = this.scope[k];
    return out;
  }
}
