/**
 * @file The executor's process guards. A cell cannot end this process: `process.exit`,
 * `process.abort` and `process.kill` of the kernel's own processes throw a `SystemExit` error in
 * the cell instead (IPython's behaviour for `sys.exit`), and the notebook's state is kept. When
 * the channel to the protocol process is gone, this process SIGKILLs itself at once (it never
 * writes to a closed channel). An error thrown outside any cell is reported, never fatal.
 */
import { systemExit, uncaughtReport } from "../engine/errors.js";

/**
 * The process's own `exit` and `kill`, taken when this is made (before {@link install} replaces
 * them), and the guards.
 *
 * @example
 * const guards = new ProcessGuards(); guards.install(kernelPid); // later: guards.die()
 */
export class ProcessGuards {
  private readonly realKill = process.kill.bind(process);
  // process.exit ends through process.reallyExit, which install replaces too: keep both.
  private readonly realExit = process.exit.bind(process);
  private readonly realReallyExit = (process as unknown as Record<string, unknown>).reallyExit;

  /** End this process and everything it started, now: no exit handlers, no writes to a closed channel. */
  readonly die = (): never => {
    try {
      this.realKill(-process.pid, "SIGKILL");
    } catch {
      // not a process group leader (run by hand)
    }
    this.realKill(process.pid, "SIGKILL");
    throw new Error("unreachable");
  };

  /** Exit through Node's normal path, guards off (for profiling runs: it writes their files). */
  exit(): void {
    (process as unknown as Record<string, unknown>).reallyExit = this.realReallyExit;
    this.realExit(0);
  }

  /**
   * Dies with the channel or the pipes to the protocol process, reports errors thrown outside
   * any cell, and makes `process.exit`, `process.abort`, `process.reallyExit`,
   * `process.disconnect` and `process.kill` of this process, its group or the kernel
   * (`kernelPid`) throw {@link SystemExit} in the cell instead (signal 0 and SIGINT still pass:
   * they probe or interrupt, they do not end).
   */
  install(kernelPid: number): void {
    // The channel or the pipes to the protocol process broke: it is gone, and so are we.
    process.on("disconnect", this.die);
    process.stdout.on("error", this.die);
    process.stderr.on("error", this.die);
    // An error thrown by code outside any cell (a timer, an unawaited promise) is shown in the
    // last cell's output. Writing it must never throw again: the guard breaks any loop.
    let reporting = false;
    const report = (kind: "exception" | "rejection", reason: unknown) => {
      if (reporting) return;
      reporting = true;
      try {
        process.stderr.write(uncaughtReport(kind, reason));
      } finally {
        reporting = false;
      }
    };
    process.on("uncaughtException", (err) => report("exception", err));
    process.on("unhandledRejection", (reason) => report("rejection", reason));

    const stop = (what: string): never => {
      throw systemExit(what);
    };
    const p = process as unknown as Record<string, unknown>;
    p.exit = (code?: number | string) => stop(`process.exit(${code ?? ""})`);
    p.reallyExit = (code?: number) => stop(`process.reallyExit(${code ?? ""})`);
    p.abort = () => stop("process.abort()");
    p.disconnect = () => stop("process.disconnect()");
    // Ourselves, our group (0 or -pid), the kernel and its group, every process we may signal (-1).
    const protectedPids = new Set([process.pid, -process.pid, 0, -1]);
    if (kernelPid > 0) protectedPids.add(kernelPid).add(-kernelPid);
    p.kill = (pid: number, signal?: string | number) => {
      const harmless = signal === 0 || signal === "SIGINT" || signal === "SIGWINCH";
      if (!harmless && protectedPids.has(Number(pid)))
        stop(`process.kill(${pid}${signal === undefined ? "" : `, ${JSON.stringify(signal)}`})`);
      return this.realKill(pid, signal);
    };
  }
}
