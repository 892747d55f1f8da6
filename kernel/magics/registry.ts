/**
 * @file The magics registry: name -> { kind, usage, help, run }, and discovery of magic modules.
 *
 * ## How a magic module registers itself (no hand-kept list)
 * Put a module in `kernel/magics/<name>.ts` whose DEFAULT export is a {@link Magic} (or an
 * array of them). At kernel start the executor calls {@link loadMagicModules}, which imports
 * every `.js` file built into `dist/kernel/magics/` and registers each default export that is
 * a Magic; modules without one (helpers such as this file and `parse.ts`) are skipped. Two
 * magics with one name are an error. Example, `kernel/magics/graph.ts`:
 *
 * ```ts
 * import { MagicUsageError, type Magic } from "./registry.js";
 * import { parseFlags } from "./parse.js";
 * const graphMagic: Magic = {
 *   name: "graph",
 *   kind: "line",
 *   usage: "%graph [--rankdir LR|TB] f(args)",
 *   help: "Draw the computational graph of the call f(args).",
 *   async run(call, ctx) {
 *     const { flags, rest } = parseFlags(call.args, { rankdir: ["LR", "TB"] });
 *     if (!rest) throw new MagicUsageError("missing expression");   // -> one-line usage error
 *     const value = await ctx.evaluate(rest);  // TypeScript, in the notebook's scope
 *     ctx.displayBundle({ "image/svg+xml": "...", "text/plain": "..." });
 *   },
 * };
 * export default graphMagic;
 * ```
 *
 * Handlers run in the executor process, where the notebook's variables live: `ctx.evaluate`
 * compiles TypeScript against the earlier cells' declarations and returns its last
 * expression's value. Throw {@link MagicUsageError} for bad input: the kernel prints
 * `UsageError: %name: <message>` and the usage line, and the cell ends with an error. Any
 * other exception is reported like a runtime error in the cell. `ctx.signal` is aborted on
 * interrupt; long loops should check it (`ctx.signal.throwIfAborted()`).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { MimeBundle } from "../../src/display/mime.js";
import { closestName, MagicUsageError } from "./parse.js";
import { tr } from "../../src/i18n/index.js";

export { MagicUsageError } from "./parse.js";

/** One invocation: `%name args` (mode "line") or `%%name args\nbody` (mode "cell"). */
export interface MagicCall {
  name: string;
  mode: "line" | "cell";
  /** The text after the magic name on its line, trimmed. */
  args: string;
  /** For cell magics, the rest of the cell; "" for line magics. */
  body: string;
}

/** What a handler can do; given by the executor (tests may pass a small fake). */
export interface MagicContext {
  /** Compile and run TypeScript in the notebook's scope; resolves to its last expression's value. */
  evaluate(code: string): Promise<unknown>;
  /**
   * Run TypeScript as if it were a cell segment: its declarations persist for later cells and
   * its last expression's value is displayed. A failure rejects with the cell's error, which
   * the kernel shows as the cell's error (let it propagate).
   */
  runCell(code: string): Promise<void>;
  /** Display a value: Jupyter-displayable objects render as their bundle, others as text. */
  display(value: unknown): void;
  /** Send a MIME bundle as `display_data` (or `update_display_data` with `update` and a display id). */
  displayBundle(bundle: MimeBundle, opts?: { displayId?: string; update?: boolean; metadata?: Record<string, unknown> }): void;
  /** Write to the cell's stdout / stderr stream. */
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Run synchronous work so that an interrupt can stop it like cell code (the kernel then ends
   * the cell with a KeyboardInterrupt); use it around loops that call user code, e.g. `%timeit`.
   */
  interruptible<T>(fn: () => T): T;
  /** The notebook's top-level names and their current values. */
  scope(): Record<string, unknown>;
  /** The registry itself (for %lsmagic and help). */
  readonly registry: MagicRegistry;
  /** The notebook's directory (the kernel's working directory). */
  readonly cwd: string;
  /** Aborted when the user interrupts the kernel. */
  readonly signal: AbortSignal;
}

/** A magic: `kind` says whether it is used as `%name` (line), `%%name` (cell) or both. */
export interface Magic {
  /** The name without `%`. */
  name: string;
  kind: "line" | "cell" | "both";
  /** One line, e.g. `%timeit [-n N] [-r R] expr`. */
  usage: string;
  /** Help text shown by `%name?` (a paragraph or a few). */
  help: string;
  /**
   * Runs the magic. A magic whose result is the cell's value (as `%time expr`'s is in IPython)
   * returns `{ value }`: when it ends the cell, that value is the cell's Out, the execute_result.
   */
  run(call: MagicCall, ctx: MagicContext): void | MagicResult | Promise<void | MagicResult>;
}

/** What a magic may return: the value its cell shows as its result. */
export interface MagicResult {
  value: unknown;
}

/** True when `x` has the shape of a {@link Magic}. */
export function isMagic(x: unknown): x is Magic {
  const m = x as Partial<Magic> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    typeof m.name === "string" &&
    typeof m.run === "function" &&
    (m.kind === "line" || m.kind === "cell" || m.kind === "both") &&
    typeof m.usage === "string" &&
    typeof m.help === "string"
  );
}

/**
 * The magic named at the start of the line holding `cursor` (`%name`, or `%%name` on a cell's
 * first line), with where its name starts; undefined when the line does not start with one or
 * the cursor is before the name.
 *
 * @example magicLine("x\n  %tim", 8) // { sign: "%", mode: "line", name: "tim", nameStart: 5 }
 */
function magicLine(code: string, cursor: number): { sign: string; mode: "line" | "cell"; name: string; nameStart: number } | undefined {
  const lineStart = code.lastIndexOf("\n", cursor - 1) + 1;
  const m = /^(\s*)(%%?)(\w*)/.exec(code.slice(lineStart));
  if (!m) return undefined;
  const [, indent, sign, name] = m as unknown as [string, string, string, string];
  const mode = sign === "%%" ? "cell" : "line";
  if (mode === "cell" && code.slice(0, lineStart).trim() !== "") return undefined;
  const nameStart = lineStart + indent.length + sign.length;
  return cursor < nameStart ? undefined : { sign, mode, name, nameStart };
}

/**
 * Name -> Magic table with lookup, help and "did you mean" suggestions.
 *
 * @example
 * const reg = new MagicRegistry([whoMagic]);
 * reg.get("who", "line"); // whoMagic
 * reg.unknownMessage("whoo", "line"); // "UsageError: unknown magic %whoo; did you mean %who?"
 */
export class MagicRegistry {
  private readonly magics = new Map<string, Magic>();

  constructor(magics: Iterable<Magic> = []) {
    for (const m of magics) this.register(m);
  }

  /** Add a magic; throws on a duplicate name or an invalid definition. */
  register(magic: Magic): void {
    if (!isMagic(magic)) throw new Error(`magics: expected a Magic { name, kind, usage, help, run }, got ${String(magic)}`);
    if (this.magics.has(magic.name)) throw new Error(`magics: two magics are named "${magic.name}"`);
    this.magics.set(magic.name, magic);
  }

  /** The magic usable as `%name` (mode line) or `%%name` (mode cell), if any. */
  get(name: string, mode: "line" | "cell"): Magic | undefined {
    const m = this.magics.get(name);
    return m && (m.kind === "both" || m.kind === mode) ? m : undefined;
  }

  /** All magics, sorted by name. */
  list(): Magic[] {
    return [...this.magics.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Names as typed: `%name` for line magics, `%%name` for cell magics. */
  spellings(mode: "line" | "cell"): string[] {
    return this.list()
      .filter((m) => m.kind === "both" || m.kind === mode)
      .map((m) => m.name);
  }

  /**
   * Completions for a magic name being typed at `cursor` (`%ti|` or `%%wr|` at a line start;
   * `%%` only on a cell's first line), or undefined when the cursor is not in one.
   *
   * @example
   * reg.complete("%ti", 3) // { start: 0, end: 3, candidates: ["%time", "%timeit"] }
   */
  complete(code: string, cursor: number): { start: number; end: number; candidates: string[] } | undefined {
    const at = magicLine(code, cursor);
    if (!at || at.nameStart + at.name.length < cursor) return undefined;
    const partial = at.name.slice(0, cursor - at.nameStart);
    const candidates = this.spellings(at.mode)
      .filter((n) => n.startsWith(partial))
      .map((n) => at.sign + n);
    return { start: at.nameStart - at.sign.length, end: at.nameStart + at.name.length, candidates };
  }

  /**
   * The magic whose name is under `cursor` (`%name` at a line start, `%%name` on the first
   * line), for inspect requests, or undefined.
   *
   * @example
   * reg.at("%timeit -n 3 f()", 2)?.name // "timeit"
   */
  at(code: string, cursor: number): Magic | undefined {
    const at = magicLine(code, cursor);
    return at && cursor <= at.nameStart + at.name.length ? this.get(at.name, at.mode) : undefined;
  }

  /** The help text for `%name?`, in the current language (src/i18n/ru/magic-help.ts). */
  helpText(magic: Magic): string {
    return `${magic.usage}\n\n${tr(magic.help).trim()}\n`;
  }

  /** The error line for an unknown magic, with the closest known name if any. */
  unknownMessage(name: string, mode: "line" | "cell"): string {
    const prefix = mode === "cell" ? "%%" : "%";
    const other = this.magics.get(name);
    if (other) {
      const used = other.kind === "line" ? "%" : "%%";
      const message =
        mode === "cell"
          ? tr("{magic} is not a cell magic; use {use} (usage: {usage})", { magic: prefix + name, use: used + name, usage: other.usage })
          : tr("{magic} is not a line magic; use {use} (usage: {usage})", { magic: prefix + name, use: used + name, usage: other.usage });
      return `UsageError: ${message}`;
    }
    const guess = closestName(name, this.spellings(mode)) ?? closestName(name, this.magics.keys());
    const suggestion = guess
      ? tr("; did you mean {magic}?", { magic: (this.get(guess, mode) ? prefix : prefix === "%" ? "%%" : "%") + guess })
      : "";
    return `UsageError: ${tr("unknown magic {magic}{suggestion} (%lsmagic lists them all)", { magic: prefix + name, suggestion })}`;
  }

  /** The one-line error for bad input to `magic`, named as it was called (`%name` or `%%name`). */
  usageMessage(magic: Magic, err: MagicUsageError, mode: "line" | "cell" = "line"): string {
    return `UsageError: ${mode === "cell" ? "%%" : "%"}${magic.name}: ${err.message} (${tr("usage: {usage}", { usage: magic.usage })})`;
  }
}

/**
 * Import every module in `dir` (default: the built `kernel/magics/`) and register each default
 * export that is a Magic or an array of Magics. Errors loading one module are returned, not
 * thrown, so one broken magic never stops the kernel.
 *
 * @example
 * const { registry, errors } = await loadMagicModules();
 */
export async function loadMagicModules(dir = import.meta.dirname): Promise<{ registry: MagicRegistry; errors: string[] }> {
  const registry = new MagicRegistry();
  const errors: string[] = [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".js"))
    .sort();
  const mods = await Promise.all(
    files.map(async (f) => {
      try {
        const mod: unknown =
          dir === import.meta.dirname
            ? // This folder's own modules by a template import: a bundler makes every `./*.js` here
              // part of the bundle, so a bundled executor registers the instances its other modules use.
              await import(`./${f.slice(0, -".js".length)}.js`)
            : await import(pathToFileURL(join(dir, f)).href);
        return { f, mod: mod as { default?: unknown } };
      } catch (e) {
        errors.push(`magics: cannot load ${f}: ${e instanceof Error ? e.message : String(e)}`);
        return { f, mod: {} };
      }
    }),
  );
  for (const { f, mod } of mods) {
    const exported = Array.isArray(mod.default) ? mod.default : [mod.default];
    for (const m of exported) {
      if (!isMagic(m)) continue;
      try {
        registry.register(m);
      } catch (e) {
        errors.push(`${(e as Error).message} (in ${f})`);
      }
    }
  }
  return { registry, errors };
}
