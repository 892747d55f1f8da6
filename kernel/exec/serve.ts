/**
 * @file The executor's request loop: receives execute/complete/inspect requests over Node IPC
 * from the protocol process (kernel/protocol/server.ts), runs cells and magics, sends outputs back.
 *
 * Why a separate process: a cell like `while (true) {}` blocks this event loop, so ZeroMQ
 * (heartbeat, control channel, interrupt_request) must live elsewhere; SIGINT from the
 * protocol process stops synchronous code here through `breakOnSigint`, and rejects a
 * pending `await` through the interrupt promise, so the notebook's state survives.
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
  if (m.type === "done" && running?.id === m.id) running.doneSent = true;
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
      await magic.run({ name: seg.name, mode: seg.mode, args: seg.args, body: seg.body }, magicContext(registry!, count));
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
/** Requests waiting for the one that runs. */
const requests: ChildRequest[] = [];
/** The request being handled: its id, and whether its `done` was sent. */
let running: { id: number; doneSent: boolean } | undefined;
let lifelineRef: Lifeline | undefined;

/** Handle the next request unless one runs. */
function pump(): void {
  if (running || requests.length === 0) return;
  const m = requests.shift()!;
  const mine = { id: m.id, doneSent: false };
  running = mine;
  lifelineRef?.busy(true);
  void handle(m).finally(() => finish(mine));
}

/** The request `mine` is over (normally, or rescued): on to the next one. */
function finish(mine: { id: number }): void {
  if (running !== mine) return;
  running = undefined;
  lifelineRef?.busy(false);
  pump();
}

/** How long a request may outlive a termination and its interrupt before it is presumed dead. */
const RESCUE_MS = 1000;

/**
 * The watchdog's termination (watchdog.ts) ends whatever JavaScript the main thread runs when it
 * lands. Almost always that is the cell's own loop; under heavy load it may instead be the
 * kernel's code that finishes an interrupted request, whose promise then never settles. Were
 * that left alone, every later request would wait behind it for ever. So after a termination,
 * a request that is still running once its interrupt was delivered and {@link RESCUE_MS} passed
 * is ended here: its reply (if not sent) says it was interrupted, and the next request runs.
 */
function rescueAfterTermination(lifeline: Lifeline): void {
  let seen = lifeline.terminations();
  let suspect: { req: NonNullable<typeof running>; at: number } | undefined;
  setInterval(() => {
    const n = lifeline.terminations();
    if (n !== seen) {
      seen = n;
      suspect = running ? { req: running, at: Date.now() } : undefined;
    }
    if (!suspect) return;
    if (suspect.req !== running) {
      suspect = undefined;
      return;
    }
    if (Date.now() - suspect.at < RESCUE_MS) return;
    if (!executor.signal.aborted) {
      // The termination may have ended the interrupt handler itself: interrupt again, wait again.
      executor.interrupt();
      suspect.at = Date.now();
      return;
    }
    const req = suspect.req;
    suspect = undefined;
    kernelLog(`gradlab executor: request ${req.id} did not end after its interrupt; ending it\n`);
    lifeline.asyncPhase(false);
    if (!req.doneSent) send({ type: "done", id: req.id, ok: false, error: executor.interruptedError().content });
    finish(req);
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
  // Requests are handled one at a time, in order; comm messages in order too, but on a queue of
  // their own, so they reach their handlers while a cell awaits.
  let commQueue = Promise.resolve();
  const realExit = process.exit.bind(process);
  process.on("message", (m: HostToChild) => {
    if (m.type === "exit") {
      realExit(0);
      return;
    }
    if (m.type === "comm") {
      commQueue = commQueue.then(() => handleComm(m));
      return;
    }
    requests.push(m);
    pump();
  });
  rescueAfterTermination(lifeline);
  // A SIGINT that lands between requests is stale (the kernel sends them only while one runs).
  lifeline.onInterrupt = () => {
    if (running) executor.interrupt();
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
    executor.warm();
    void magics().then(({ errors }) => errors.forEach((e) => kernelLog(e + "\n")));
  });
}
