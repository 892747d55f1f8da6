/**
 * @file The executor process: receives execute/complete/inspect requests over Node IPC from the
 * protocol process (kernel/protocol/server.ts), runs cells and magics, sends outputs back.
 *
 * Why a separate process: a cell like `while (true) {}` blocks this event loop, so ZeroMQ
 * (heartbeat, control channel, interrupt_request) must live elsewhere; SIGINT from the
 * protocol process stops synchronous code here through `breakOnSigint`, and rejects a
 * pending `await` through the interrupt promise, so the notebook's state survives.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { printQuickInfo } from "tslab/dist/inspect.js";
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
      const c = executor.complete(msg.code, msg.cursor);
      send({ type: "done", id: msg.id, ok: true, reply: { matches: c.candidates, cursor_start: c.start, cursor_end: c.end, metadata: {} } });
    } else {
      const info = executor.inspect(msg.code, msg.cursor);
      const data = info ? { "text/plain": printQuickInfo(info) } : {};
      send({ type: "done", id: msg.id, ok: true, reply: { found: !!info, data, metadata: {} } });
    }
  } catch (e) {
    const error: ErrorContent = e instanceof CellError ? e.content : internalError(e);
    send({ type: "done", id: msg.id, ok: false, error });
  }
}

/**
 * Ends this process when the protocol process is gone, even while a cell blocks the event loop.
 * Why: this child has its own process group (so Jupyter's SIGINT reaches only the protocol
 * process), so when Jupyter kills the kernel's group with SIGKILL this child is spared, and a
 * `while (true) {}` here never sees "disconnect": it would spin forever as an orphan. A worker
 * thread keeps its own event loop and notices the re-parenting.
 */
function watchParent(): void {
  const source = `
    const parent = ${process.ppid};
    setInterval(() => { if (process.ppid !== parent) process.kill(${process.pid}, "SIGKILL"); }, 500);
  `;
  new Worker(source, { eval: true }).unref();
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
watchParent();
process.on("uncaughtException", (err) => {
  process.stderr.write(`Uncaught ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
});
process.on("unhandledRejection", (reason) => {
  process.stderr.write(`Unhandled promise rejection: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}\n`);
});

captureStreams();
send({ type: "ready" });
// Warm the TypeScript compiler and load magics while the front end is still connecting.
setImmediate(() => {
  executor.warm();
  void magics().then(({ errors }) => errors.forEach((e) => kernelLog(e + "\n")));
});
