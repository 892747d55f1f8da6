/**
 * @file The protocol process's handle on the executor child (kernel/exec/child.ts): spawn,
 * send requests, route outputs, interrupt with SIGINT, respawn after a crash or restart.
 */
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { ChildToHost, ErrorContent, HostToChild } from "../exec/ipc.js";

/** Outputs of one request, as they arrive. */
export type OutputHandler = (m: Exclude<ChildToHost, { type: "ready" } | { type: "done" }>) => void;

/** The final answer to one request. */
export type Done = { ok: true; reply: Record<string, unknown> } | { ok: false; error: ErrorContent };

/** How long interrupted code may keep running before the executor is restarted. */
export const INTERRUPT_GRACE_MS = 3000;
/** How often SIGINT is repeated while interrupted code keeps running. */
export const INTERRUPT_REPEAT_MS = 250;

type Request = HostToChild extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/**
 * Runs the executor child and talks to it.
 *
 * @example
 * const host = new ExecutorHost();
 * const done = await host.request({ type: "execute", code: "1+1", executionCount: 1, silent: false }, (out) => ...);
 */
export class ExecutorHost {
  private child!: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { onOutput: OutputHandler; resolve: (d: Done) => void }>();
  /** Handlers of finished requests, for output that arrives late (timers, unawaited promises). */
  private lastHandler: OutputHandler | undefined;
  private stopping = false;
  private killReason: string | undefined;
  private spawnedAt: number[] = [];

  constructor(private readonly log: (line: string) => void = (l) => process.stderr.write(l + "\n")) {
    this.spawn();
  }

  private spawn(): void {
    // detached: the child gets its own process group, so a SIGINT that Jupyter sends to the
    // kernel's group reaches only this process, which forwards exactly one to the child.
    const child = fork(join(import.meta.dirname, "..", "exec", "child.js"), [], {
      cwd: process.cwd(),
      detached: true,
      // fd 4: the interrupt pipe the executor's watchdog thread reads (see startWatchdog in child.ts).
      stdio: ["ignore", "inherit", "inherit", "ipc", "pipe"],
      env: { ...process.env, GRADLAB_INTERRUPT_FD: "4" },
      // GRADLAB_EXEC_ARGV passes Node flags to the executor alone (e.g. "--cpu-prof --cpu-prof-dir=out/prof").
      execArgv: process.env.GRADLAB_EXEC_ARGV?.split(" ").filter(Boolean) ?? [],
    });
    this.child = child;
    // A write to the interrupt pipe of an executor that just died must not end this process.
    (child.stdio[4] as NodeJS.WritableStream | null)?.on("error", () => undefined);
    this.spawnedAt.push(Date.now());
    child.on("message", (m: ChildToHost) => this.onMessage(m));
    child.on("error", (e) => this.log(`gradlab: executor: ${e.message}`));
    child.on("exit", (code, signal) => {
      if (this.child !== child) return;
      const ename = this.killReason ?? "KernelDied";
      const evalue =
        ename === "ExecutorRestarted"
          ? "the code did not stop on interrupt (blocked outside a cell script), so the executor was restarted; notebook state is lost"
          : `the executor exited (${signal ?? `code ${code}`}); notebook state is lost`;
      this.killReason = undefined;
      for (const [id, p] of this.pending) {
        p.resolve({ ok: false, error: { ename, evalue, traceback: [`${ename}: ${evalue}`] } });
        this.pending.delete(id);
      }
      // Respawn, unless it keeps dying at once (a broken build): then requests get the error.
      this.spawnedAt = this.spawnedAt.filter((t) => Date.now() - t < 10_000);
      if (!this.stopping && this.spawnedAt.length < 5) {
        this.log(`gradlab: executor exited (${signal ?? code}); starting a new one`);
        this.spawn();
      } else if (!this.stopping) {
        this.log("gradlab: the executor keeps exiting at start-up; not restarting it (is dist/ built?)");
      }
    });
  }

  private onMessage(m: ChildToHost): void {
    if (m.type === "ready") return;
    const p = this.pending.get(m.id);
    if (m.type === "done") {
      this.pending.delete(m.id);
      p?.resolve(m.ok ? { ok: true, reply: m.reply } : { ok: false, error: m.error });
      return;
    }
    (p?.onOutput ?? this.lastHandler)?.(m);
  }

  /** Send one request; outputs go to `onOutput` until it is done. */
  request(req: Request, onOutput: OutputHandler = () => undefined): Promise<Done> {
    const id = this.nextId++;
    if (req.type === "execute") this.lastHandler = onOutput;
    if (!this.child.connected) {
      const evalue = "the executor process is not running (see the kernel log)";
      return Promise.resolve({ ok: false, error: { ename: "KernelDied", evalue, traceback: [`KernelDied: ${evalue}`] } });
    }
    return new Promise<Done>((resolve) => {
      this.pending.set(id, { onOutput, resolve });
      this.child.send({ ...req, id } as HostToChild);
    });
  }

  /**
   * Interrupt the running code: SIGINT breaks synchronous loops and pending awaits, and a byte
   * on the interrupt pipe lets the executor's watchdog thread terminate code that blocks after
   * an `await` (state survives either way). A SIGINT that lands between cell scripts (e.g. while
   * TypeScript compiles) is seen only once the loop is free, so both are repeated every
   * {@link INTERRUPT_REPEAT_MS} while the same requests run. Code that blocks outside any cell
   * (a busy loop in a timer an earlier cell left) is stopped by neither: after
   * {@link INTERRUPT_GRACE_MS} the executor is killed and restarted, and the cell fails with
   * `ExecutorRestarted` (state is lost).
   */
  interrupt(): void {
    const child = this.child;
    const poke = () => {
      child.kill("SIGINT");
      const pipe = child.stdio[4] as NodeJS.WritableStream | null;
      if (pipe && child.connected) pipe.write("i");
    };
    poke();
    const running = [...this.pending.keys()];
    if (running.length === 0) return;
    const started = Date.now();
    const timer = setInterval(() => {
      const stillRunning = this.child === child && running.some((id) => this.pending.has(id));
      if (!stillRunning) {
        clearInterval(timer);
      } else if (Date.now() - started < INTERRUPT_GRACE_MS) {
        poke();
      } else {
        clearInterval(timer);
        this.log("gradlab: the executor ignored an interrupt; restarting it");
        this.killReason = "ExecutorRestarted";
        child.kill("SIGKILL");
      }
    }, INTERRUPT_REPEAT_MS);
    timer.unref();
  }

  /** Stop the executor for good. */
  stop(): void {
    this.stopping = true;
    this.child.kill("SIGKILL");
  }
}
