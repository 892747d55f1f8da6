/**
 * @file The executor process: receives execute/complete/inspect requests over Node IPC from the
 * protocol process (kernel/protocol/server.ts), runs cells and magics, sends outputs back.
 *
 * Why a separate process: a cell like `while (true) {}` blocks this event loop, so ZeroMQ
 * (heartbeat, control channel, interrupt_request) must live elsewhere; SIGINT from the
 * protocol process stops synchronous code here through `breakOnSigint`, and rejects a
 * pending `await` through the interrupt promise, so the notebook's state survives.
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { parseCell, MagicUsageError } from "../magics/parse.js";
import { loadMagicModules, type MagicContext, type MagicRegistry } from "../magics/registry.js";
import { createDisplay, createTslabShim, toBundle } from "./display.js";
import { CellError } from "./errors.js";
import { Executor, interruptedError } from "./executor.js";
import type { ChildToHost, ErrorContent, HostToChild } from "./ipc.js";

const send = (m: ChildToHost): void => {
  process.send?.(m);
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

/** Runs a cell; resolves to the execute_reply payload (pager pages for `%name?`). */
async function executeCell(code: string, count: number, silent: boolean): Promise<Record<string, unknown>[]> {
  const payload: Record<string, unknown>[] = [];
  const segments = parseCell(code);
  const needsMagics = segments.some((s) => s.type !== "code");
  const registry = needsMagics ? (await magics()).registry : undefined;
  for (const [i, seg] of segments.entries()) {
    if (seg.type === "code") {
      const r = await executor.run(seg.code, `cell[${count}]`, seg.line);
      if (i === segments.length - 1 && !silent && r.hasValue && r.value !== undefined) {
        send({ type: "result", id: current, data: toBundle(r.value), metadata: {} });
      }
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
      if (executor.signal.aborted) throw interruptedError();
      const err = e instanceof Error ? e : new Error(String(e));
      throw new CellError({ ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message} (in %${magic.name}, cell line ${seg.line + 1})`] });
    }
  }
  return payload;
}

function usageError(line: string): CellError {
  return new CellError({ ename: "UsageError", evalue: line.replace(/^UsageError: /, ""), traceback: [line] });
}

async function handle(msg: HostToChild): Promise<void> {
  current = msg.id;
  executor.resetInterrupt();
  try {
    if (msg.type === "execute") {
      const payload = await executeCell(msg.code, msg.executionCount, msg.silent);
      send({ type: "done", id: msg.id, ok: true, reply: { payload } });
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

/**
 * A watchdog thread, for what the main thread cannot do while a cell blocks its event loop:
 * - End this process when the protocol process is gone. This child has its own process group
 *   (so Jupyter's SIGINT reaches only the protocol process), so when Jupyter kills the kernel's
 *   group with SIGKILL this child is spared, and a `while (true) {}` would spin as an orphan.
 * - Stop code that blocks after an `await` on interrupt. SIGINT stops a cell's own script
 *   (`breakOnSigint`), but code after an `await` runs outside it. The protocol process writes
 *   to the pipe `GRADLAB_INTERRUPT_FD` on every interrupt; when the cell is in its async phase
 *   and the main thread has not ticked for 150 ms, the watchdog terminates the running
 *   JavaScript through the inspector (`Runtime.terminateExecution`, V8's TerminateExecution).
 *   The isolate survives with all notebook state; the cell then ends as interrupted.
 */
function startWatchdog(): void {
  // [0]: last main-thread tick (ms since `origin`), [1]: 1 while a cell is in its async phase.
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const origin = Date.now();
  setInterval(() => Atomics.store(shared, 0, Date.now() - origin), 50).unref();
  executor.onAsyncPhase = (active) => {
    Atomics.store(shared, 0, Date.now() - origin);
    Atomics.store(shared, 1, active ? 1 : 0);
  };
  const fd = Number(process.env.GRADLAB_INTERRUPT_FD);
  const source = `
    const { workerData: w } = require("node:worker_threads");
    setInterval(() => { if (process.ppid !== w.parent) process.kill(w.pid, "SIGKILL"); }, 500);
    if (w.fd > 2) {
      const { Session } = require("node:inspector");
      const session = new Session();
      session.connectToMainThread();
      const shared = new Int32Array(w.shared);
      const stream = require("node:fs").createReadStream(null, { fd: w.fd, autoClose: false });
      stream.on("error", () => {});
      stream.on("data", () => {
        const blocked = Date.now() - w.origin - Atomics.load(shared, 0) > 150;
        if (Atomics.load(shared, 1) === 1 && blocked) session.post("Runtime.terminateExecution");
      });
    }
  `;
  new Worker(source, { eval: true, workerData: { parent: process.ppid, pid: process.pid, fd: Number.isInteger(fd) ? fd : -1, shared: shared.buffer, origin } }).unref();
}

function internalError(e: unknown): ErrorContent {
  const err = e instanceof Error ? e : new Error(String(e));
  kernelLog(`gradlab executor: internal error: ${err.stack}\n`);
  return { ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`] };
}

// Requests are handled one at a time, in order.
let queue = Promise.resolve();
process.on("message", (m: HostToChild) => {
  queue = queue.then(() => handle(m));
});
process.on("SIGINT", () => executor.interrupt());
process.on("disconnect", () => process.exit(0));
startWatchdog();
process.on("uncaughtException", (err) => {
  process.stderr.write(`Uncaught ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
});
process.on("unhandledRejection", (reason) => {
  process.stderr.write(`Unhandled promise rejection: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}\n`);
});

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
