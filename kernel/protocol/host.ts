/**
 * @file The protocol process's handle on the executor child (kernel/node/child.ts): spawn,
 * send requests, route outputs, interrupt through the lifeline pipe, respawn after a crash or restart.
 *
 * The executor is spawned with its memory limits (kernel/node/limits.ts) and a lifeline pipe
 * whose EOF ends it when this process dies (kernel/node/watchdog.ts); its stdout and stderr
 * come through this process (to the kernel log), so an executor never holds the pipes of
 * whatever started the kernel.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { ChildToHost, EngineRequest, ErrorContent, HostToChild } from "../engine/ipc.js";
import {
  ARENA_MAX,
  EXECUTOR_TUNABLES,
  USER_ARENA_MAX,
  USER_TUNABLES,
  mallocTunables,
  memoryLimits,
  semiSpaceMb,
  type MemoryLimits,
} from "../node/limits.js";
import { executorScript } from "../node/executor-bundle.js";
import { findSnapshot } from "../node/snapshot-blob.js";

/** Outputs of one request, as they arrive. */
export type OutputHandler = (m: Exclude<ChildToHost, { type: "ready" } | { type: "done" } | { type: "comm-done" }>) => void;

/** The final answer to one request. */
export type Done = { ok: true; reply: Record<string, unknown> } | { ok: false; error: ErrorContent };

/** How long interrupted code may keep running before the executor is restarted. */
export const INTERRUPT_GRACE_MS = 3000;
/** How often an interrupt is repeated while interrupted code keeps running. */
export const INTERRUPT_REPEAT_MS = 250;
/** How long to wait for the last stderr lines of an executor that exited. */
const STDERR_DRAIN_MS = 200;

/** What Node prints when it cannot start from a startup snapshot (another Node, other V8 flags). */
const SNAPSHOT_REJECTED = /startup snapshot|SnapshotData/i;

/** What V8 and Node print when a process runs out of memory. */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Fatal process out of memory|Allocation failed|Cannot allocate memory/;

/**
 * The error for pending requests when the executor exited: out of memory when its last
 * stderr says so, a restart after an ignored interrupt, or any other death.
 *
 * @example
 * exitError({ code: null, signal: "SIGABRT" }, "FATAL ERROR: ... JavaScript heap out of memory", undefined, limits).ename // "MemoryError"
 */
export function exitError(
  exit: { code: number | null; signal: NodeJS.Signals | null },
  stderrTail: string,
  killReason: string | undefined,
  limits: MemoryLimits,
): ErrorContent {
  let ename = killReason ?? "KernelDied";
  let evalue: string;
  if (ename === "ExecutorRestarted") {
    evalue = "the code did not stop on interrupt (blocked in native code), so the executor was restarted; notebook state is lost";
  } else if (OUT_OF_MEMORY.test(stderrTail)) {
    ename = "MemoryError";
    const gb = (limits.budget / 2 ** 30).toFixed(1);
    evalue =
      `out of memory: the executor reached its limit (JavaScript heap ${limits.heapMb} MB, ${gb} GB in all; ${limits.source}); ` +
      "the executor was restarted and notebook state is lost. Keep fewer large values alive, or raise GRADLAB_MEMORY_LIMIT.";
  } else {
    evalue = `the executor exited (${exit.signal ?? `code ${exit.code}`}); a new one was started and notebook state is lost`;
  }
  return { ename, evalue, traceback: [`${ename}: ${evalue}`] };
}

/**
 * The Node and V8 flags of the executor (before its script), for its memory limits; its startup
 * snapshot is built for exactly these (kernel/node/snapshot.ts, found by kernel/node/snapshot-blob.ts).
 *
 * @example
 * executorFlags(memoryLimits()) // ["--max-old-space-size=4096", "--max-semi-space-size=16", "--no-force-async-hooks-checks", "--no-memory-reducer"]
 */
export function executorFlags(limits: MemoryLimits, env: NodeJS.ProcessEnv = process.env): string[] {
  return [
    `--max-old-space-size=${limits.heapMb}`,
    // V8 sizes the young generation by the old one, so under a memory limit (a spawner's 2G gives
    // a 512 MB heap) the compiler's short-lived objects are copied and promoted more often: the
    // young generation of a full-size heap instead, while it stays a small part of the heap.
    `--max-semi-space-size=${semiSpaceMb(limits.heapMb)}`,
    // The watchdog may terminate a timer callback; with these checks on, Node aborts on the
    // async-hook stack that termination leaves unbalanced.
    "--no-force-async-hooks-checks",
    // V8's memory reducer runs full collections of the heap once it stops growing: on every idle
    // executor, and a class's kernels mostly wait (most of all while the class starts).
    "--no-memory-reducer",
    // GRADLAB_EXEC_ARGV passes Node flags to the executor alone (e.g. "--cpu-prof --cpu-prof-dir=out/prof").
    ...(env.GRADLAB_EXEC_ARGV?.split(" ").filter(Boolean) ?? []),
  ];
}

type Request = EngineRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;
/** A comm message of the front end, as sent to the executor (without its id). */
export type CommRequest = Omit<Extract<HostToChild, { type: "comm" }>, "id" | "type">;

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
  private readonly pending = new Map<number, { onOutput: OutputHandler; resolve: (d: Done) => void; sent: HostToChild }>();
  /** Comm messages of the front end being handled (apart from requests: never queued, no reply; an interrupt stops them too). */
  private readonly commPending = new Map<number, { onOutput: OutputHandler; resolve: () => void; sent: HostToChild }>();
  /** Called when a new executor starts after the first (its comms and state are gone). */
  onRespawn: () => void = () => undefined;
  /** Handlers of finished requests, for output that arrives late (timers, unawaited promises). */
  private lastHandler: OutputHandler | undefined;
  private stopping = false;
  private killReason: string | undefined;
  private spawnedAt: number[] = [];
  /** Whether executors start from the startup snapshot (when there is one): not after one failed to start from it. */
  private useSnapshot = true;

  /** The executor's memory limits (the same for every respawn). */
  readonly limits: MemoryLimits;

  constructor(
    private readonly log: (line: string) => void = (l) => process.stderr.write(l + "\n"),
    private readonly logRaw: (text: string) => void = (t) => void process.stderr.write(t),
  ) {
    this.limits = memoryLimits();
    this.spawn();
  }

  /** The running executor's pid (it leads a session of its own). */
  get executorPid(): number | undefined {
    return this.child.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  private spawn(): void {
    const limits = this.limits;
    const flags = executorFlags(limits);
    const snapshot = this.useSnapshot ? findSnapshot(flags) : undefined;
    const node = [process.execPath, ...flags, ...(snapshot ? ["--snapshot-blob", snapshot] : []), executorScript()];
    // RLIMIT_DATA bounds all the executor's memory; no core file when it aborts.
    const [file, args] =
      process.platform === "win32"
        ? [node[0]!, node.slice(1)]
        : [
            "/bin/sh",
            [
              "-c",
              `ulimit -d ${Math.floor(limits.budget / 1024)} || echo "gradlab: cannot limit the executor's memory" >&2; ulimit -c 0; export GLIBC_TUNABLES="$${EXECUTOR_TUNABLES}"; unset ${EXECUTOR_TUNABLES}; exec "$0" "$@"`,
              ...node,
            ],
          ];
    // detached: the child gets its own process group, so a SIGINT that Jupyter sends to the
    // kernel's group reaches only this process (which interrupts the child through the lifeline),
    // and the child's group (the executor and whatever a cell started) can be killed as a whole.
    const child = spawn(file, args, {
      cwd: process.cwd(),
      detached: true,
      // fd 4: the lifeline. Its EOF ends the executor; a line `i <ids>` on it is an interrupt (watchdog.ts).
      stdio: ["ignore", "pipe", "pipe", "ipc", "pipe"],
      env: {
        ...process.env,
        GRADLAB_LIFELINE_FD: "4",
        GRADLAB_KERNEL_PID: String(process.pid),
        GRADLAB_MEMORY_LIMIT_BYTES: String(limits.budget),
        GRADLAB_HEAP_MB: String(limits.heapMb),
        // glibc's malloc tuned for tensor storage (limits.ts). It reaches the executor under another
        // name: glibc cuts GLIBC_TUNABLES after its first entry in the environment of a process
        // that parsed it (here the shell), so the shell sets it only for the exec. The executor
        // hands cells the user's own value back.
        [EXECUTOR_TUNABLES]: mallocTunables(limits.budget, process.env.GLIBC_TUNABLES),
        ...(process.env.GLIBC_TUNABLES === undefined ? {} : { [USER_TUNABLES]: process.env.GLIBC_TUNABLES }),
        // The user's own value wins, as for GLIBC_TUNABLES; cells get it back (child.ts).
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? ARENA_MAX,
        ...(process.env.MALLOC_ARENA_MAX === undefined ? {} : { [USER_ARENA_MAX]: process.env.MALLOC_ARENA_MAX }),
      },
    });
    this.child = child;
    let stderrTail = "";
    const stderrDone = new Promise<void>((ok) => {
      child.stderr!.on("end", ok);
      child.stderr!.on("error", () => ok());
    });
    child.stderr!.setEncoding("utf8").on("data", (text: string) => {
      stderrTail = (stderrTail + text).slice(-8000);
      this.logRaw(text);
    });
    child.stdout!.setEncoding("utf8").on("data", (text: string) => this.logRaw(text));
    // A write to the lifeline of an executor that just died must not end this process.
    (child.stdio[4] as NodeJS.WritableStream | null)?.on("error", () => undefined);
    this.spawnedAt.push(Date.now());
    let ready = false;
    child.on("message", (m: ChildToHost) => {
      if (m.type === "ready") ready = true;
      this.onMessage(m);
    });
    child.on("error", (e) => this.log(`gradlab: executor: ${e.message}`));
    child.on("exit", (code, signal) => {
      this.killGroup(child);
      if (this.child !== child) return;
      const killReason = this.killReason;
      this.killReason = undefined;
      // Answer at once what waits, but read the last stderr lines first (they tell an OOM), briefly.
      void Promise.race([stderrDone, new Promise((ok) => setTimeout(ok, STDERR_DRAIN_MS))]).then(() => {
        // An executor that Node could not start from its snapshot: another starts at once without
        // it, and gets what was sent to this one (which handled none of it).
        if (snapshot && !ready && !this.stopping && !killReason && SNAPSHOT_REJECTED.test(stderrTail)) {
          this.useSnapshot = false;
          this.log(`gradlab: Node could not start the executor from ${snapshot}; starting it without the snapshot`);
          this.spawn();
          for (const p of [...this.pending.values(), ...this.commPending.values()]) this.child.send(p.sent);
          return;
        }
        const error = exitError({ code, signal }, stderrTail, killReason, limits);
        for (const [id, p] of this.pending) {
          p.resolve({ ok: false, error });
          this.pending.delete(id);
        }
        for (const [id, p] of this.commPending) {
          p.resolve();
          this.commPending.delete(id);
        }
        if (this.child !== child) return;
        // Respawn, unless it keeps dying at once (a broken build): then requests get the error.
        this.spawnedAt = this.spawnedAt.filter((t) => Date.now() - t < 10_000);
        if (!this.stopping && this.spawnedAt.length < 5) {
          this.log(
            `gradlab: executor exited (${signal ?? code}${error.ename === "MemoryError" ? ", out of memory" : ""}); starting a new one`,
          );
          this.spawn();
          this.onRespawn();
        } else if (!this.stopping) {
          this.log("gradlab: the executor keeps exiting at start-up; not restarting it (is dist/ built?)");
        }
      });
    });
  }

  /** SIGKILL the executor's process group: the executor and whatever its cells started. */
  private killGroup(child: ChildProcess): void {
    if (child.pid === undefined) return;
    try {
      process.kill(process.platform === "win32" ? child.pid : -child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }

  private onMessage(m: ChildToHost): void {
    if (m.type === "ready") return;
    if (m.type === "comm-done") {
      this.commPending.get(m.id)?.resolve();
      this.commPending.delete(m.id);
      return;
    }
    const p = this.pending.get(m.id);
    if (m.type === "done") {
      this.pending.delete(m.id);
      if (m.ok && m.result) p?.onOutput({ type: "result", id: m.id, ...m.result });
      p?.resolve(m.ok ? { ok: true, reply: m.reply } : { ok: false, error: m.error });
      return;
    }
    const c = this.commPending.get(m.id);
    if (c) {
      c.onOutput(m);
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
      const sent = { ...req, id } as EngineRequest;
      this.pending.set(id, { onOutput, resolve, sent });
      this.child.send(sent);
    });
  }

  /**
   * Deliver a comm message of the front end to the executor (in the order of calls, whether or not
   * a request runs); resolves once its handler is done. Outputs of the handler go to `onOutput`.
   */
  comm(req: CommRequest, onOutput: OutputHandler): Promise<void> {
    if (!this.child.connected) {
      this.log(`gradlab: ${req.msgType} dropped: the executor is not running`);
      return Promise.resolve();
    }
    const id = this.nextId++;
    return new Promise<void>((resolve) => {
      const sent = { type: "comm", id, ...req } satisfies HostToChild;
      this.commPending.set(id, { onOutput, resolve, sent });
      this.child.send(sent);
    });
  }

  /**
   * Interrupt the running code: a line on the lifeline pipe naming the requests and comm
   * messages being handled. The executor's watchdog thread terminates JavaScript that blocks the
   * executor while one of them runs (or while none does: a busy timer an earlier cell left), and
   * the executor rejects their pending awaits; state survives either way. No signal is sent: a
   * SIGINT can land where Node has left it at its default action, and end the executor. The
   * line is repeated every {@link INTERRUPT_REPEAT_MS} while the same requests run (one may not
   * have started yet). Code that blocks in native code (e.g. `Atomics.wait`, a synchronous child
   * process) cannot be terminated: after {@link INTERRUPT_GRACE_MS} the executor is killed and
   * restarted, and the cell fails with `ExecutorRestarted` (state is lost). An interrupt while no
   * request or comm message is being handled is ignored, as ipykernel does.
   */
  interrupt(): void {
    const child = this.child;
    const running = [...this.pending.keys(), ...this.commPending.keys()];
    if (running.length === 0) return;
    const poke = () => {
      const pipe = child.stdio[4] as NodeJS.WritableStream | null;
      if (pipe && child.connected) pipe.write(`i ${running.join(" ")}\n`);
    };
    poke();
    const started = Date.now();
    const timer = setInterval(() => {
      const stillRunning = this.child === child && running.some((id) => this.pending.has(id) || this.commPending.has(id));
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

  /**
   * Stop the executor (and whatever its cells started) for good: SIGKILL at once, except when
   * it runs under a profiler (`--cpu-prof` or `--heap-prof` in GRADLAB_EXEC_ARGV), which writes
   * its file only on a normal exit: then it is asked to exit, and killed if it has not within 5 s.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    const profiling = /--(cpu|heap)-prof/.test(process.env.GRADLAB_EXEC_ARGV ?? "");
    if (profiling && child.connected && child.exitCode === null) {
      const exited = new Promise((ok) => child.once("exit", ok));
      child.send({ type: "exit" } satisfies HostToChild);
      await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
    }
    this.killGroup(child);
  }
}
