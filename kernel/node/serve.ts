/**
 * @file The executor's entry after its lifeline (child.ts): {@link serve} builds the executor,
 * its display and comms, and the request loop (request-loop.ts), then answers execute, complete
 * and inspect requests and comm messages from the protocol process (kernel/protocol/server.ts)
 * over Node IPC until that process goes away. Nothing is made before `serve` is called.
 *
 * Why a separate process: a cell like `while (true) {}` blocks this event loop, so ZeroMQ
 * (heartbeat, control channel, interrupt_request) must live elsewhere. An interrupt comes on
 * the lifeline pipe (lifeline.ts): the watchdog thread terminates code that blocks this thread,
 * and a pending `await` is rejected through the interrupt promise, so the notebook's state
 * survives; the request whose code was cut short is answered with a KeyboardInterrupt
 * (request-loop.ts). A cell cannot end this process (guards.ts).
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { loadMagicModules } from "../magics/registry.js";
import { COMM_LAYER } from "../../src/widgets/comm.js";
import { executeCell, type CellEnv } from "../engine/cell.js";
import { CommManager } from "../engine/comms.js";
import { createDisplay, createTslabShim } from "../engine/display.js";
import { CellError } from "../engine/errors.js";
import { Executor } from "../engine/executor.js";
import { applyStartLanguage } from "./language.js";
import { localizeConsoleTable } from "../engine/console-table.js";
import { ProcessGuards } from "./guards.js";
import type { ChildToHost, ErrorContent, HostToChild } from "../engine/ipc.js";
import type { Lifeline } from "./lifeline.js";
import { RequestLoop, type ChildRequest, type CommRequest } from "./request-loop.js";
import { MemoryReserve } from "./reserve.js";
import { VERSION } from "../kernelspec.js";

/**
 * Serve requests from the protocol process until it goes away.
 *
 * @example
 * serve(startLifeline());
 */
export function serve(lifeline: Lifeline): void {
  const guards = new ProcessGuards();
  // The log goes to the real stderr (captureStreams sends cells' stderr to the notebook).
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const log = (line: string): void => void stderrWrite(line + "\n");
  /** The request or comm message whose outputs are being produced (late async output goes to the last one). */
  let current = 0;
  const send = (m: ChildToHost): void => {
    if (!process.connected) guards.die();
    loop.sent(m);
    process.send!(m, undefined, undefined, (err: Error | null) => {
      if (err) guards.die();
    });
  };

  const display = createDisplay({
    display: (data, metadata, displayId, update) => send({ type: "display", id: current, data, metadata, displayId, update }),
    clear: (wait) => send({ type: "clear", id: current, wait }),
  });
  const comms = new CommManager(
    (msgType, content, metadata, buffers) =>
      send({
        type: "comm",
        id: current,
        msgType,
        content,
        metadata,
        buffers: buffers.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64")),
      }),
    log,
  );
  (globalThis as Record<symbol, unknown>)[COMM_LAYER] = comms;
  // The notebook's language, before anything is shown (language.ts); user code and the magics
  // share the setting (it lives on globalThis, src/i18n).
  applyStartLanguage(process.env, process.cwd(), log);
  localizeConsoleTable();
  const executor = new Executor(process.cwd(), display, createTslabShim(display, { gradlab: VERSION, node: process.version }));
  executor.onAsyncPhase = (active) => lifeline.asyncPhase(active);
  executor.stopCause = () => lifeline.takeStopCause();
  executor.owner = () => current;
  /** Headroom kept for compiling the next cells when a notebook fills its memory (reserve.ts). */
  const reserve = new MemoryReserve(Number(process.env.GRADLAB_MEMORY_LIMIT_BYTES));
  /** The magics registry, loaded once on first use (after {@link Executor.warm} has loaded the library). */
  let magicsLoaded: ReturnType<typeof loadMagicModules> | undefined;
  const magics = () => {
    executor.warm();
    return (magicsLoaded ??= loadMagicModules(join(import.meta.dirname, "..", "magics")));
  };
  const env: CellEnv = { executor, display, magics };

  const handleRequest = async (msg: ChildRequest): Promise<void> => {
    current = msg.id;
    executor.resetInterrupt();
    try {
      if (msg.type === "execute") {
        const { payload, result } = await executeCell(env, msg.code, msg.executionCount, msg.silent);
        send({ type: "done", id: msg.id, ok: true, reply: { payload }, ...(result ? { result } : {}) });
      } else if (msg.type === "complete") {
        const c = (await magics()).registry.complete(msg.code, msg.cursor) ?? executor.complete(msg.code, msg.cursor);
        send({
          type: "done",
          id: msg.id,
          ok: true,
          reply: { matches: c.candidates, cursor_start: c.start, cursor_end: c.end, metadata: {} },
        });
      } else {
        const { registry } = await magics();
        const magic = registry.at(msg.code, msg.cursor);
        if (magic) {
          send({
            type: "done",
            id: msg.id,
            ok: true,
            reply: { found: true, data: { "text/plain": registry.helpText(magic) }, metadata: {} },
          });
          return;
        }
        const info = executor.inspect(msg.code, msg.cursor);
        // Required here, not imported: it loads TypeScript, which the compiler loads first (compiler/ts-loader.ts).
        const { printQuickInfo } = createRequire(import.meta.url)("tslab/dist/inspect.js") as typeof import("tslab/dist/inspect.js");
        const data = info ? { "text/plain": printQuickInfo(info) } : {};
        send({ type: "done", id: msg.id, ok: true, reply: { found: !!info, data, metadata: {} } });
      }
    } catch (e) {
      let error: ErrorContent;
      if (e instanceof CellError) error = e.content;
      else {
        const err = e instanceof Error ? e : new Error(String(e));
        log(`gradlab executor: internal error: ${err.stack}`);
        error = { ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`] };
      }
      send({ type: "done", id: msg.id, ok: false, error });
    }
  };

  /**
   * Dispatch one comm message of the front end. Its outputs (comm messages, streams, displays made
   * by the handler's synchronous part) are parented to it; an error in a handler is written to the
   * kernel log and as a stderr stream on the comm message, and the executor carries on.
   */
  const handleComm = async (msg: CommRequest): Promise<void> => {
    const outer = current;
    current = msg.id;
    let settled: Promise<void>;
    try {
      // Interruptible: a handler that loops synchronously stops on interrupt (KeyboardInterrupt).
      settled = executor.interruptible(() =>
        comms.receive(
          msg.msgType,
          msg.content,
          msg.metadata,
          msg.buffers.map((b) => new Uint8Array(Buffer.from(b, "base64"))),
        ),
      );
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
      log(`gradlab executor: ${e instanceof CellError ? `${name}: ${err.message} (in a comm handler)` : (err.stack ?? err.message)}`);
      send({ type: "stream", id: msg.id, name: "stderr", text: `${name}: ${err.message}\n` });
    }
    send({ type: "comm-done", id: msg.id });
  };

  // Once a cell has imported gradlab, Graphviz is instantiated on this thread while the kernel is
  // idle (after the reply), so graphs need no worker thread of their own (src/platform/node-graphviz.ts).
  let graphvizPrepared = false;
  const afterJob = (): void => {
    reserve.check();
    if (graphvizPrepared || !executor.importedGradlab) return;
    graphvizPrepared = true;
    setImmediate(() => {
      const prepare = (globalThis as Record<symbol, unknown>)[Symbol.for("gradlab.prepareGraphviz")];
      if (typeof prepare === "function") void (prepare as () => Promise<void>)();
    });
  };
  const loop = new RequestLoop({ lifeline, executor, send, log, afterJob, handleRequest, handleComm });
  process.on("message", (m: HostToChild) => {
    if (m.type === "exit") guards.exit();
    else loop.push(m);
  });
  loop.start();
  guards.install(Number(process.env.GRADLAB_KERNEL_PID));

  // Deep library stacks (a cell calling grad calling the op that threw) must not push the cell's
  // own frames out of the trace; library frames are folded when the error is shown (errors.ts).
  Error.stackTraceLimit = 100;
  captureStreams((name, text) => send({ type: "stream", id: current, name, text }));
  send({ type: "ready" });
  // Warm the TypeScript compiler and load magics while the front end is still connecting.
  setImmediate(() => {
    // Not a request: an interrupt (always aimed at requests) must not cut the loading short.
    lifeline.busy(true);
    executor.warm();
    reserve.check();
    lifeline.busy(loop.busy);
    void magics().then(({ errors }) => errors.forEach((e) => log(e)));
  });
}

/** What this process writes to stdout and stderr (cells, magics, libraries) goes to `out`. */
function captureStreams(out: (name: "stdout" | "stderr", text: string) => void): void {
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    stream.write = ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      if (text) out(name, text);
      const done = typeof enc === "function" ? enc : cb;
      if (typeof done === "function") (done as () => void)();
      return true;
    }) as typeof stream.write;
  }
}
