/**
 * @file The executor's request loop: receives execute/complete/inspect requests over Node IPC
 * from the protocol process (kernel/protocol/server.ts), runs cells and magics, sends outputs back.
 *
 * Why a separate process: a cell like `while (true) {}` blocks this event loop, so ZeroMQ
 * (heartbeat, control channel, interrupt_request) must live elsewhere. An interrupt comes on
 * the lifeline pipe (lifeline.ts): the watchdog thread terminates code that blocks this thread,
 * and a pending `await` is rejected through the interrupt promise, so the notebook's state
 * survives; the request whose code was cut short is answered here with a KeyboardInterrupt.
 *
 * A cell cannot end this process: `process.exit`, `process.abort` and `process.kill` of the
 * kernel's own processes throw a `SystemExit` error in the cell instead (IPython's behaviour for
 * `sys.exit`), and the notebook's state is kept. When the channel to the protocol process is
 * gone, this process SIGKILLs itself at once (it never writes to a closed channel).
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseCell, MagicUsageError } from "../magics/parse.js";
import { loadMagicModules, type MagicContext, type MagicRegistry } from "../magics/registry.js";
import { COMM_LAYER } from "../../src/widgets/comm.js";
import { CommManager } from "./comms.js";
import { createDisplay, createTslabShim, toBundle } from "./display.js";
import { CellError } from "./errors.js";
import { Executor } from "./executor.js";
import type { ChildToHost, ErrorContent, HostToChild } from "./ipc.js";
import type { MimeBundle } from "../../src/display/mime.js";
import type { Lifeline } from "./lifeline.js";
import { MemoryReserve } from "./reserve.js";

/** End this process and everything it started, now: no exit handlers, no writes to a closed channel. */
const realKill = process.kill.bind(process);
function die(): never {
  try {
    realKill(-process.pid, "SIGKILL");
  } catch {
    // not a process group leader (run by hand)
  }
  realKill(process.pid, "SIGKILL");
  throw new Error("unreachable");
}

const send = (m: ChildToHost): void => {
  if (!process.connected) die();
  if (m.type === "done" && running?.id === m.id) running.answered = true;
  if (m.type === "comm-done" && commRunning?.id === m.id) commRunning.answered = true;
  process.send!(m, undefined, undefined, (err: Error | null) => {
    if (err) die();
  });
};

/** The execute request whose outputs we are producing (late async output goes to the last one). */
let current = 0;
const kernelLog = process.stderr.write.bind(process.stderr);

function captureStreams(): void {
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    stream.write = ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      if (text) send({ type: "stream", id: current, name, text });
      const done = typeof enc === "function" ? enc : cb;
      if (typeof done === "function") (done as () => void)();
      return true;
    }) as typeof stream.write;
  }
}

const display = createDisplay({
  display: (data, metadata, displayId, update) => send({ type: "display", id: current, data, metadata, displayId, update }),
  clear: (wait) => send({ type: "clear", id: current, wait }),
});
const comms = new CommManager(
  (msgType, content, metadata, buffers) => send({ type: "comm", id: current, msgType, content, metadata, buffers: buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64")) }),
  (line) => kernelLog(line + "\n"),
);
(globalThis as Record<symbol, unknown>)[COMM_LAYER] = comms;
const executor = new Executor(process.cwd(), display, createTslabShim(display, { gradlab: "0.1.0", node: process.version }));
/** The magics registry, loaded once on first use (after {@link Executor.warm} has loaded the library). */
let magicsLoaded: ReturnType<typeof loadMagicModules> | undefined;
const magics = () => {
  executor.warm();
  return (magicsLoaded ??= loadMagicModules(join(import.meta.dirname, "..", "magics")));
};

function magicContext(registry: MagicRegistry, count: number): MagicContext {
  return {
    evaluate: async (code) => (await executor.run(code, `magic[${count}]`, 0)).value,
    runCell: async (code) => {
      const r = await executor.run(code, `cell[${count}]`, 0);
      if (r.hasValue && r.value !== undefined) display(r.value);
    },
    display: (v) => display(v),
    displayBundle: (b, opts) => display.bundle(b, opts),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    interruptible: (fn) => executor.interruptible(fn),
    scope: () => executor.userScope(),
    registry,
    cwd: executor.cwd,
    signal: executor.signal,
  };
}

/** Runs a cell; resolves to the execute_reply payload (pager pages for `%name?`) and the cell's value to show. */
async function executeCell(code: string, count: number, silent: boolean): Promise<{ payload: Record<string, unknown>[]; result?: { data: MimeBundle; metadata: Record<string, unknown> } }> {
  const payload: Record<string, unknown>[] = [];
  let result: { data: MimeBundle; metadata: Record<string, unknown> } | undefined;
  const segments = parseCell(code);
  const needsMagics = segments.some((s) => s.type !== "code");
  const registry = needsMagics ? (await magics()).registry : undefined;
  for (const [i, seg] of segments.entries()) {
    if (seg.type === "code") {
      const r = await executor.run(seg.code, `cell[${count}]`, seg.line);
      if (i === segments.length - 1 && !silent && r.hasValue && r.value !== undefined) result = { data: toBundle(r.value), metadata: {} };
      continue;
    }
    const magic = registry!.get(seg.name, seg.mode);
    if (!magic) throw usageError(registry!.unknownMessage(seg.name, seg.mode));
    if (seg.type === "help") {
      // As IPython does for `?`: a pager payload (front ends show it in their help pager).
      payload.push({ source: "page", data: { "text/plain": registry!.helpText(magic) }, start: 0 });
      continue;
    }
    try {
      const out = await magic.run({ name: seg.name, mode: seg.mode, args: seg.args, body: seg.body }, magicContext(registry!, count));
      if (i === segments.length - 1 && !silent && out && out.value !== undefined) result = { data: toBundle(out.value), metadata: {} };
    } catch (e) {
      if (e instanceof MagicUsageError) throw usageError(registry!.usageMessage(magic, e, seg.mode));
      if (e instanceof CellError) throw e;
      if (executor.signal.aborted) throw executor.interruptedError();
      const err = e instanceof Error ? e : new Error(String(e));
      throw new CellError({ ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message} (in %${magic.name}, cell line ${seg.line + 1})`] });
    }
  }
  return { payload, result };
}

function usageError(line: string): CellError {
  return new CellError({ ename: "UsageError", evalue: line.replace(/^UsageError: /, ""), traceback: [line] });
}

/**
 * Dispatch one comm message of the front end. Its outputs (comm messages, streams, displays made
 * by the handler's synchronous part) are parented to it; an error in a handler is written to the
 * kernel log and as a stderr stream on the comm message, and the executor carries on.
 */
async function handleComm(msg: Extract<HostToChild, { type: "comm" }>): Promise<void> {
  const outer = current;
  current = msg.id;
  let settled: Promise<void>;
  try {
    // Interruptible: a handler that loops synchronously stops on interrupt (KeyboardInterrupt).
    settled = executor.interruptible(() => comms.receive(msg.msgType, msg.content, msg.metadata, msg.buffers.map((b) => new Uint8Array(Buffer.from(b, "base64")))));
  } catch (e) {
    settled = Promise.reject(e);
  } finally {
    current = outer;
  }
  try {
    await settled;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const name = e instanceof CellError ? e.content.ename : err.name;
    kernelLog(`gradlab executor: ${e instanceof CellError ? `${name}: ${err.message} (in a comm handler)` : err.stack ?? err.message}\n`);
    send({ type: "stream", id: msg.id, name: "stderr", text: `${name}: ${err.message}\n` });
  }
  send({ type: "comm-done", id: msg.id });
}

async function handle(msg: Extract<HostToChild, { type: "execute" | "complete" | "inspect" }>): Promise<void> {
  current = msg.id;
  executor.resetInterrupt();
  try {
    if (msg.type === "execute") {
      const { payload, result } = await executeCell(msg.code, msg.executionCount, msg.silent);
      send({ type: "done", id: msg.id, ok: true, reply: { payload }, ...(result ? { result } : {}) });
    } else if (msg.type === "complete") {
      const c = (await magics()).registry.complete(msg.code, msg.cursor) ?? executor.complete(msg.code, msg.cursor);
      send({ type: "done", id: msg.id, ok: true, reply: { matches: c.candidates, cursor_start: c.start, cursor_end: c.end, metadata: {} } });
    } else {
      const { registry } = await magics();
      const magic = registry.at(msg.code, msg.cursor);
      if (magic) {
        send({ type: "done", id: msg.id, ok: true, reply: { found: true, data: { "text/plain": registry.helpText(magic) }, metadata: {} } });
        return;
      }
      const info = executor.inspect(msg.code, msg.cursor);
      // Required here, not imported: it loads TypeScript, which the compiler loads first (ts-loader.ts).
      const { printQuickInfo } = createRequire(import.meta.url)("tslab/dist/inspect.js") as typeof import("tslab/dist/inspect.js");
      const data = info ? { "text/plain": printQuickInfo(info) } : {};
      send({ type: "done", id: msg.id, ok: true, reply: { found: !!info, data, metadata: {} } });
    }
  } catch (e) {
    const error: ErrorContent = e instanceof CellError ? e.content : internalError(e);
    send({ type: "done", id: msg.id, ok: false, error });
  }
}

function internalError(e: unknown): ErrorContent {
  const err = e instanceof Error ? e : new Error(String(e));
  kernelLog(`gradlab executor: internal error: ${err.stack}\n`);
  return { ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`] };
}

/** The error a cell gets for trying to end the kernel's processes. */
export class SystemExit extends Error {
  override name = "SystemExit";
}

/**
 * Make `process.exit`, `process.abort`, `process.reallyExit`, `process.disconnect` and
 * `process.kill` of this process, its group or the kernel throw {@link SystemExit} in the cell
 * instead (signal 0 and SIGINT still pass: they probe or interrupt, they do not end).
 */
function guardProcess(kernelPid: number): void {
  const stop = (what: string): never => {
    throw new SystemExit(`${what} was called: the kernel keeps running and your variables are kept (to stop the kernel, shut it down or restart it from the notebook)`);
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
    if (!harmless && protectedPids.has(Number(pid))) stop(`process.kill(${pid}${signal === undefined ? "" : `, ${JSON.stringify(signal)}`})`);
    return realKill(pid, signal);
  };
}

type ChildRequest = Extract<HostToChild, { type: "execute" | "complete" | "inspect" }>;
type CommRequest = Extract<HostToChild, { type: "comm" }>;
/** One request or comm message being handled: its id, and whether its answer was sent. */
interface Job {
  id: number;
  answered: boolean;
}

/**
 * Requests are handled one at a time, in order; comm messages in order too, but on a queue of
 * their own, so they reach their handlers while a cell awaits. Each starts in a macrotask of its
 * own (`setImmediate`), never inside a promise reaction: a termination that lands in a reaction
 * drops every other reaction queued with it, and the kernel's own could be among them.
 */
const requests: ChildRequest[] = [];
const commRequests: CommRequest[] = [];
let running: Job | undefined;
let commRunning: Job | undefined;
let lifelineRef: Lifeline | undefined;

function tellLifeline(): void {
  lifelineRef?.handling(running?.id ?? 0, commRunning?.id ?? 0);
}

/** Handle the next request (soon, in a macrotask of its own) unless one runs. */
function pump(): void {
  if (running || requests.length === 0) return;
  const m = requests.shift()!;
  const job: Job = { id: m.id, answered: false };
  running = job;
  lifelineRef?.busy(true);
  tellLifeline();
  setImmediate(() => void handle(m).finally(() => finish(job)));
}

/** Headroom kept for compiling the next cells when a notebook fills its memory (reserve.ts). */
const reserve = new MemoryReserve(Number(process.env.GRADLAB_MEMORY_LIMIT_BYTES));

/** The request `job` is over (normally, or cut short): on to the next one. */
function finish(job: Job): void {
  if (running !== job) return;
  running = undefined;
  lifelineRef?.busy(false);
  tellLifeline();
  reserve.check();
  pump();
}

/** Handle the next comm message (soon, in a macrotask of its own) unless one is being handled. */
function pumpComms(): void {
  if (commRunning || commRequests.length === 0) return;
  const m = commRequests.shift()!;
  const job: Job = { id: m.id, answered: false };
  commRunning = job;
  tellLifeline();
  setImmediate(() => void handleComm(m).finally(() => finishComm(job)));
}

function finishComm(job: Job): void {
  if (commRunning !== job) return;
  commRunning = undefined;
  tellLifeline();
  reserve.check();
  pumpComms();
}

/** Answer `job` as interrupted (unless it was answered) and move on: its code was cut short. */
function endCutShort(job: Job, why: string): void {
  kernelLog(`gradlab executor: ${why}\n`);
  lifelineRef?.asyncPhase(false);
  if (job === running) {
    if (!job.answered) send({ type: "done", id: job.id, ok: false, error: executor.interruptedError().content });
    finish(job);
  } else if (job === commRunning) {
    if (!job.answered) {
      // As handleComm shows a handler's error: on the comm message's stderr.
      const { ename, evalue } = executor.interruptedError().content;
      send({ type: "stream", id: job.id, name: "stderr", text: `${ename}: ${evalue}\n` });
      send({ type: "comm-done", id: job.id });
    }
    finishComm(job);
  }
}

/**
 * The watchdog terminated JavaScript (watchdog.ts), which ends whatever the main thread ran,
 * every frame of it. When that was a cell's (or compile's, or comm handler's) synchronous code,
 * the executor says whose, and that request or comm message is answered as interrupted now.
 */
function onTerminated(): void {
  const owner = executor.takeCutShort();
  if (owner === undefined) return;
  const job = running?.id === owner ? running : commRunning?.id === owner ? commRunning : undefined;
  if (job) endCutShort(job, `${job === running ? "request" : "comm message"} ${owner} was interrupted`);
}

/** How long a request may outlive a termination and its interrupt before it is presumed dead. */
const RESCUE_MS = 1000;

/**
 * Rarely a termination lands in the kernel's own code instead (under heavy load, the code that
 * finishes an interrupted request), whose promise then never settles: were that left alone,
 * every later request would wait behind it for ever. So after a termination, a request or comm
 * message still being handled once its interrupt was delivered and {@link RESCUE_MS} passed is
 * ended here.
 */
function rescueAfterTermination(lifeline: Lifeline): void {
  let seen = lifeline.terminations();
  let suspects: { job: Job; at: number }[] = [];
  setInterval(() => {
    const n = lifeline.terminations();
    if (n !== seen) {
      seen = n;
      suspects = [running, commRunning].filter((j): j is Job => j !== undefined).map((job) => ({ job, at: Date.now() }));
    }
    suspects = suspects.filter((s) => s.job === running || s.job === commRunning);
    for (const s of suspects) {
      if (Date.now() - s.at < RESCUE_MS) continue;
      if (!executor.signal.aborted) {
        // The termination may have cut the interrupt's delivery: interrupt again, wait again.
        executor.interrupt();
        s.at = Date.now();
        continue;
      }
      endCutShort(s.job, `${s.job === running ? "request" : "comm message"} ${s.job.id} did not end after its interrupt; ending it`);
    }
  }, 100).unref();
}

/**
 * Serve requests from the protocol process until it goes away.
 *
 * @example
 * serve(startLifeline());
 */
export function serve(lifeline: Lifeline): void {
  lifelineRef = lifeline;
  executor.onAsyncPhase = (active) => lifeline.asyncPhase(active);
  executor.stopCause = () => lifeline.takeStopCause();
  executor.owner = () => current;
  // process.exit ends through process.reallyExit, which guardProcess replaces too: keep both.
  const realExit = process.exit.bind(process);
  const p = process as unknown as Record<string, unknown>;
  const realReallyExit = p.reallyExit;
  process.on("message", (m: HostToChild) => {
    if (m.type === "exit") {
      p.reallyExit = realReallyExit;
      realExit(0);
    } else if (m.type === "comm") {
      commRequests.push(m);
      pumpComms();
    } else {
      requests.push(m);
      pump();
    }
  });
  rescueAfterTermination(lifeline);
  lifeline.onTerminated = onTerminated;
  // An interrupt targets requests and comm messages by id: one meant for a request that has
  // ended must not hit the next.
  lifeline.onInterrupt = (ids) => {
    const targeted = (job: Job | undefined) => job !== undefined && (ids === undefined || ids.includes(job.id));
    if (targeted(running) || targeted(commRunning)) executor.interrupt();
  };
  // The channel or the pipes to the protocol process broke: it is gone, and so are we.
  process.on("disconnect", die);
  process.stdout.on("error", die);
  process.stderr.on("error", die);
  // An error thrown by code outside any cell (a timer, an unawaited promise) is shown in the
  // last cell's output. Writing it must never throw again: the guard breaks any loop.
  let reporting = false;
  const report = (label: string, reason: unknown) => {
    if (reporting) return;
    reporting = true;
    try {
      process.stderr.write(`${label} ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}\n`);
    } finally {
      reporting = false;
    }
  };
  process.on("uncaughtException", (err) => report("Uncaught", err));
  process.on("unhandledRejection", (reason) => report("Unhandled promise rejection:", reason));
  guardProcess(Number(process.env.GRADLAB_KERNEL_PID));

  // Deep library stacks (a cell calling grad calling the op that threw) must not push the cell's
  // own frames out of the trace; library frames are folded when the error is shown (errors.ts).
  Error.stackTraceLimit = 100;
  captureStreams();
  send({ type: "ready" });
  // Warm the TypeScript compiler and load magics while the front end is still connecting.
  setImmediate(() => {
    // Not a request: an interrupt (always aimed at requests) must not cut the loading short.
    lifeline.busy(true);
    executor.warm();
    reserve.check();
    lifeline.busy(running !== undefined);
    void magics().then(({ errors }) => errors.forEach((e) => kernelLog(e + "\n")));
  });
}
