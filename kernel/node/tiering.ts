/**
 * @file The executor starts without V8's optimizing compiler (TurboFan) and turns it on before
 * any user code runs.
 *
 * An executor's start (the library, the converter) and its first request's compile run once:
 * TurboFan would compile their hot functions on background threads for code that is about to
 * stop running, CPU a class's starting kernels share. The baseline tiers (the interpreter,
 * Sparkplug) run it. The optimizing compiler is on again before the first user code
 * runs (a cell's script, a magic: what a user times runs at full speed from the first cell) and
 * once the first request of any kind is over, whichever comes first. Only the executor's own
 * start changes: a user's flags that name the optimizing tiers (`GRADLAB_EXEC_ARGV`) are left as
 * they are, and nothing is done.
 */
import v8 from "node:v8";

/** Node or V8 flags that choose the optimizing tiers themselves. */
const USER_TIERING = /^--(no-)?(turbofan|opt|maglev|jitless|max-opt|always-turbofan|always-opt)(=|$)/;

/**
 * Turns the optimizing compiler off now; the function returned turns it on again (once; later
 * calls do nothing).
 *
 * @example
 * const resume = deferOptimizingCompiler(); warm(); resume();
 */
export function deferOptimizingCompiler(
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = v8.setFlagsFromString,
): () => void {
  if (execArgv.some((a) => USER_TIERING.test(a))) return () => undefined;
  setFlags("--no-turbofan");
  let on = false;
  return () => {
    if (on) return;
    on = true;
    setFlags("--turbofan");
  };
}
