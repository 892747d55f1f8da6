/**
 * @file The executor starts without V8's optimizing compiler (TurboFan) and turns it on before
 * the first long work.
 *
 * An executor's start (the library, the converter, the magics) and a light first compile (a
 * cell against the lib's declarations) run once and briefly: TurboFan would compile their hot
 * functions on background threads for code that is about to stop running, CPU a class's
 * starting kernels share. The baseline tiers (the interpreter, Sparkplug) run them. The
 * optimizing compiler is on again before the first long work (`Executor.beforeLongWork`): a
 * compile against `@types/node` (the type checker's loops over 2 MB of declarations pay for
 * TurboFan within the first cell), user code (a cell's script, a magic: what a user times runs at
 * full speed from the first cell), and once the first request of any kind is over, whichever
 * comes first. Turned on later than the start's end, it would optimize the start's hot functions
 * anyway, when they no longer run. Only the executor's own start changes: a user's flags that
 * name the optimizing tiers (`GRADLAB_EXEC_ARGV`) are left as they are, and nothing is done.
 */
import v8 from "node:v8";

/** Node or V8 flags that choose the optimizing tiers themselves. */
const USER_TIERING = /^--(no-)?(turbofan|opt|maglev|jitless|max-opt|always-turbofan|always-opt)(=|$)/;

/**
 * Turns the optimizing compiler off now; the function returned turns it on again (once; later
 * calls do nothing).
 *
 * @example
 * const resume = deferOptimizingCompiler(); start(); resume(); runUserCode();
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
