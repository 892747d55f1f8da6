/** @file `%time` / `%%time` and `%timeit` / `%%timeit`, with IPython's output format. */
import { performance } from "node:perf_hooks";
import { parseFlags } from "./parse.js";
import { MagicUsageError, type Magic, type MagicContext } from "./registry.js";
import { language, tr, trn } from "../../src/i18n/index.js";
import { loadTypeScript } from "../engine/compiler/ts-loader.js";

/**
 * IPython's `_format_time`: three significant digits in s, ms, µs or ns.
 *
 * @example
 * formatTime(0.0123) // "12.3 ms"
 */
export function formatTime(seconds: number): string {
  const units = ["s", "ms", "µs", "ns"];
  const order = seconds > 0 ? Math.min(Math.max(-Math.floor(Math.floor(Math.log10(seconds)) / 3), 0), 3) : 3;
  return `${Number((seconds * 1000 ** order).toPrecision(3))} ${units[order]}`;
}

/**
 * IPython's %timeit summary line for per-loop timings (seconds).
 *
 * @example
 * timeitSummary([1e-6, 1.2e-6], 1000) // "1.1 µs ± 100 ns per loop (mean ± std. dev. of 2 runs, 1,000 loops each)"
 */
export function timeitSummary(perLoop: number[], loops: number): string {
  const mean = perLoop.reduce((a, b) => a + b, 0) / perLoop.length;
  const std = Math.sqrt(perLoop.reduce((a, b) => a + (b - mean) ** 2, 0) / perLoop.length);
  const runs = perLoop.length;
  const count = loops.toLocaleString(language() === "ru" ? "ru-RU" : "en-US");
  return tr("{mean} ± {std} per loop (mean ± std. dev. of {runs}, {loops} each)", {
    mean: formatTime(mean),
    std: formatTime(std),
    runs: trn("{n} run", "{n} runs", runs),
    loops: trn("{n} loop", "{n} loops", loops, { n: count }),
  });
}

const timeMagic: Magic = {
  name: "time",
  kind: "both",
  usage: "%time statement  |  %%time (cell)",
  help:
    "Run the statement (or the cell body) once, as normal notebook code, print CPU and wall time in " +
    "IPython's format, then show the value of its last expression.",
  async run(call, ctx) {
    const code = call.mode === "cell" ? call.body : call.args;
    if (!code.trim()) throw new MagicUsageError(tr("missing statement to time"));
    // (a host without the process's CPU time, the browser's worker, prints the wall time alone)
    const cpu0 = typeof process.cpuUsage === "function" ? process.cpuUsage() : undefined;
    const t0 = performance.now();
    // evaluate, not runCell: runCell shows the value as soon as the code ends, and IPython prints
    // the times first and then shows the value as the magic's result, the cell's Out.
    // Both run the code through the executor, so its declarations persist for later cells.
    let value: unknown;
    try {
      value = await ctx.evaluate(code);
    } finally {
      const wall = (performance.now() - t0) / 1000;
      let text = "";
      if (cpu0) {
        const cpu = process.cpuUsage(cpu0);
        const user = cpu.user / 1e6;
        const sys = cpu.system / 1e6;
        text += tr("CPU times: user {user}, sys: {sys}, total: {total}", {
          user: formatTime(user),
          sys: formatTime(sys),
          total: formatTime(user + sys),
        });
        text += "\n";
      }
      ctx.stdout(text + tr("Wall time: {wall}", { wall: formatTime(wall) }) + "\n");
    }
    return { value };
  },
};

/**
 * The body of the function `%timeit` times: the code with its last statement, when that is an
 * expression, turned into `return (expression);`, so each evaluation's value reaches the timing
 * loop, which keeps it (V8 may drop work whose value nobody reads).
 *
 * @example
 * timedBody("const y = 2;\nMath.sqrt(y)") // "const y = 2;\nreturn (Math.sqrt(y));"
 */
export function timedBody(code: string): string {
  const { ts } = loadTypeScript();
  const file = ts.createSourceFile("timeit.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const last = file.statements[file.statements.length - 1];
  if (!last || !ts.isExpressionStatement(last)) return code;
  const expr = last.expression;
  return `${code.slice(0, expr.getStart(file))}return (${code.slice(expr.getStart(file), expr.end)});${code.slice(last.end)}`;
}

/** One run of the timing loop: its duration and the value of the last evaluation. */
export interface TimedRun {
  seconds: number;
  last: unknown;
}

/** A synchronous timing loop: `loops` calls of `fn`, each value stored, the last one returned. */
export type TimingLoop = (fn: () => unknown, loops: number) => TimedRun;

/** How many timing loops were made (numbers each one's source). */
let loopsMade = 0;

/**
 * A new timing loop, one per `%timeit`: each call's value goes to a slot of the loop's own sink
 * array (one indexed store per loop, part of the measured overhead as IPython's `for` is part of
 * its), and the sink is read after the loop, so no evaluation is dead code. A fresh function per
 * `%timeit` has its own call-site feedback in V8, so an expression is timed alike whichever
 * expressions were timed before it (a shared loop turns megamorphic and adds a call to each).
 * Its source differs from every earlier one's (a counter in a comment): V8 caches compiled
 * `new Function` sources together with their feedback.
 *
 * @example
 * timingLoop()(() => Math.sqrt(2), 1000).last // Math.SQRT2
 */
export function timingLoop(): TimingLoop {
  const body =
    "const sink = new Array(16).fill(undefined);\n" +
    "return (fn, loops) => {\n" +
    "  const t0 = now();\n" +
    "  for (let i = 0; i < loops; i++) sink[i & 15] = fn();\n" +
    "  const seconds = (now() - t0) / 1000;\n" +
    "  return { seconds, last: sink[(loops - 1) & 15] };\n" +
    `};\n// timing loop ${++loopsMade}`;
  return new Function("now", body)(() => performance.now()) as TimingLoop;
}

/**
 * Time `loops` calls of `fn` (seconds), interruptibly, keeping each value (see {@link timingLoop});
 * returns the duration and the last value.
 */
export async function timeLoops(
  fn: () => unknown,
  loops: number,
  isAsync: boolean,
  ctx: MagicContext,
  loop: TimingLoop = timingLoop(),
): Promise<TimedRun> {
  if (!isAsync) return ctx.interruptible(() => loop(fn, loops));
  const sink = new Array<unknown>(16).fill(undefined);
  const t0 = performance.now();
  for (let i = 0; i < loops; i++) {
    ctx.signal.throwIfAborted();
    sink[i & 15] = await fn();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, last: sink[(loops - 1) & 15] };
}

const timeitMagic: Magic = {
  name: "timeit",
  kind: "both",
  usage: "%timeit [-n N] [-r R] expression  |  %%timeit [-n N] [-r R] (cell)",
  help:
    "Time an expression (or the cell body) in the notebook's scope: R runs (default 7) of N loops each " +
    "(default: the smallest power of 10 taking at least 0.2 s). Prints mean ± std. dev. per loop, as IPython does. " +
    "Declarations inside the timed code do not persist.",
  async run(call, ctx) {
    const { flags, rest } = parseFlags(call.args, { n: "number", r: "number" });
    const code = call.mode === "cell" ? call.body : rest;
    if (call.mode === "cell" && rest) throw new MagicUsageError(tr('unexpected argument "{arg}" (the cell body is timed)', { arg: rest }));
    if (!code.trim()) throw new MagicUsageError(tr("missing expression to time"));
    for (const k of ["n", "r"] as const) {
      const v = flags[k];
      if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1))
        throw new MagicUsageError(tr("-{flag} expects a positive integer, got {value}", { flag: k, value: String(v) }));
    }
    const isAsync = /\bawait\b/.test(code);
    const fn = await ctx.evaluate(`(${isAsync ? "async " : ""}() => {\n${timedBody(code)}\n})`);
    if (typeof fn !== "function") throw new MagicUsageError(tr("cannot compile the expression"));
    const f = fn as () => unknown;
    const loop = timingLoop();
    const runs = (flags.r as number | undefined) ?? 7;
    let loops = flags.n as number | undefined;
    if (loops === undefined) {
      for (loops = 1; ; loops *= 10) if ((await timeLoops(f, loops, isAsync, ctx, loop)).seconds >= 0.2 || loops >= 1e9) break;
    }
    const perLoop: number[] = [];
    for (let r = 0; r < runs; r++) perLoop.push((await timeLoops(f, loops, isAsync, ctx, loop)).seconds / loops);
    ctx.stdout(timeitSummary(perLoop, loops) + "\n");
  },
};

export default [timeMagic, timeitMagic];
