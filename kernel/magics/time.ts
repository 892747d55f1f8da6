/** @file `%time` / `%%time` and `%timeit` / `%%timeit`, with IPython's output format. */
import { performance } from "node:perf_hooks";
import { parseFlags } from "./parse.js";
import { MagicUsageError, type Magic, type MagicContext } from "./registry.js";
import { language, tr, trn } from "../../src/i18n/index.js";

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
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    // evaluate, not runCell: runCell shows the value as soon as the code ends, and IPython prints
    // the times first and then shows the value as the magic's result, the cell's Out.
    // Both run the code through the executor, so its declarations persist for later cells.
    let value: unknown;
    try {
      value = await ctx.evaluate(code);
    } finally {
      const wall = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const user = cpu.user / 1e6;
      const sys = cpu.system / 1e6;
      ctx.stdout(
        tr("CPU times: user {user}, sys: {sys}, total: {total}", {
          user: formatTime(user),
          sys: formatTime(sys),
          total: formatTime(user + sys),
        }) +
          "\n" +
          tr("Wall time: {wall}", { wall: formatTime(wall) }) +
          "\n",
      );
    }
    return { value };
  },
};

/** Time `loops` calls of `fn` (seconds), interruptibly. */
async function timeLoops(fn: () => unknown, loops: number, isAsync: boolean, ctx: MagicContext): Promise<number> {
  if (!isAsync) {
    return ctx.interruptible(() => {
      const t0 = performance.now();
      for (let i = 0; i < loops; i++) fn();
      return (performance.now() - t0) / 1000;
    });
  }
  const t0 = performance.now();
  for (let i = 0; i < loops; i++) {
    ctx.signal.throwIfAborted();
    await fn();
  }
  return (performance.now() - t0) / 1000;
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
    const fn = await ctx.evaluate(`(${isAsync ? "async " : ""}() => {\n${code}\n})`);
    if (typeof fn !== "function") throw new MagicUsageError(tr("cannot compile the expression"));
    const f = fn as () => unknown;
    const runs = (flags.r as number | undefined) ?? 7;
    let loops = flags.n as number | undefined;
    if (loops === undefined) {
      for (loops = 1; ; loops *= 10) if ((await timeLoops(f, loops, isAsync, ctx)) >= 0.2 || loops >= 1e9) break;
    }
    const perLoop: number[] = [];
    for (let r = 0; r < runs; r++) perLoop.push((await timeLoops(f, loops, isAsync, ctx)) / loops);
    ctx.stdout(timeitSummary(perLoop, loops) + "\n");
  },
};

export default [timeMagic, timeitMagic];
