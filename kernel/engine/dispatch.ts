/**
 * @file What every host does with the messages of its front end (ipc.ts): an execute, complete or
 * inspect request, and a comm message. A host (the Node executor child, kernel/node/serve.ts; the
 * browser's Web Worker, kernel/browser/worker/worker.ts) makes one {@link Dispatch}, which makes
 * the display and the comm layer, gives it the notebook's executor and magics, and hands it each
 * message; how messages are queued and delivered, and how running code is interrupted, are the
 * host's. Every output is sent with the id of the message being handled ({@link Dispatch.current}).
 *
 * Engine code (kernel/engine/) imports no Node built-in that the browser host does not fill
 * (scripts/build-site.mjs maps each one the engine uses to a stand-in), and takes what only a host
 * has (sending, the log) from it.
 */
import type { printQuickInfo } from "tslab/dist/inspect.js";
import { COMM_LAYER } from "../../src/widgets/comm.js";
import { executeCell, type CellEnv } from "./cell.js";
import { CommManager } from "./comms.js";
import { createDisplay, type DisplayApi } from "./display.js";
import { CellError } from "./errors.js";
import type { Executor } from "./executor.js";
import { fromBase64, toBase64, type ChildToHost, type CommRequest, type EngineRequest, type ErrorContent } from "./ipc.js";

/** What a host gives the dispatch. */
export interface DispatchHost {
  /** Sends a message to the host's other side (the protocol process, the page). */
  send(m: ChildToHost): void;
  /** Writes a line to the kernel's log (never to a cell's output). */
  log(line: string): void;
  /**
   * tslab's `printQuickInfo` (how an inspection is shown), provided by the host: it needs the
   * TypeScript compiler loaded, which the Node host loads only through the compiler's loader.
   */
  quickInfo: typeof printQuickInfo;
}

/**
 * The requests and comm messages of one notebook.
 *
 * @example
 * const dispatch = new Dispatch({ send, log, quickInfo: printQuickInfo });
 * const executor = new Executor(dir, dispatch.display, createTslabShim(dispatch.display, versions));
 * dispatch.attach(executor, magics);
 * await dispatch.request({ type: "execute", id: 1, code: "1 + 1", executionCount: 1, silent: false });
 */
export class Dispatch {
  /** The request or comm message whose outputs are being produced (late async output goes to the last one). */
  current = 0;
  /** The display, its outputs sent as the message being handled's. */
  readonly display: DisplayApi;
  /** The comm layer (the library's widgets find it at `COMM_LAYER` on `globalThis`). */
  readonly comms: CommManager;
  private env: CellEnv | undefined;

  constructor(private readonly host: DispatchHost) {
    const { send } = host;
    this.display = createDisplay({
      display: (data, metadata, displayId, update) => send({ type: "display", id: this.current, data, metadata, displayId, update }),
      clear: (wait) => send({ type: "clear", id: this.current, wait }),
    });
    this.comms = new CommManager(
      (msgType, content, metadata, buffers) =>
        send({ type: "comm", id: this.current, msgType, content, metadata, buffers: buffers.map(toBase64) }),
      host.log,
    );
    (globalThis as Record<symbol, unknown>)[COMM_LAYER] = this.comms;
  }

  /** The notebook's executor (made with {@link display}) and its magics registry: requests run with them. */
  attach(executor: Executor, magics: CellEnv["magics"]): void {
    executor.owner = () => this.current;
    this.env = { executor, display: this.display, magics };
  }

  private get attached(): CellEnv {
    if (!this.env) throw new Error("the dispatch has no executor yet (attach)");
    return this.env;
  }

  /** Handle one request; its answer (`done`) is sent, an error included. */
  async request(msg: EngineRequest): Promise<void> {
    const env = this.attached;
    const { executor } = env;
    const { send } = this.host;
    this.current = msg.id;
    executor.resetInterrupt();
    try {
      if (msg.type === "execute") {
        const { payload, result } = await executeCell(env, msg.code, msg.executionCount, msg.silent);
        send({ type: "done", id: msg.id, ok: true, reply: { payload }, ...(result ? { result } : {}) });
      } else if (msg.type === "complete") {
        const c = (await env.magics()).registry.complete(msg.code, msg.cursor) ?? executor.complete(msg.code, msg.cursor);
        send({
          type: "done",
          id: msg.id,
          ok: true,
          reply: { matches: c.candidates, cursor_start: c.start, cursor_end: c.end, metadata: {} },
        });
      } else {
        const { registry } = await env.magics();
        const magic = registry.at(msg.code, msg.cursor);
        const info = magic ? undefined : executor.inspect(msg.code, msg.cursor);
        const text = magic ? registry.helpText(magic) : info && this.host.quickInfo(info);
        send({ type: "done", id: msg.id, ok: true, reply: { found: !!text, data: text ? { "text/plain": text } : {}, metadata: {} } });
      }
    } catch (e) {
      let error: ErrorContent;
      if (e instanceof CellError) error = e.content;
      else {
        const err = e instanceof Error ? e : new Error(String(e));
        this.host.log(`gradlab executor: internal error: ${err.stack}`);
        error = { ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`] };
      }
      send({ type: "done", id: msg.id, ok: false, error });
    }
  }

  /**
   * Handle one comm message of the front end; `comm-done` is sent when it has been handled. Its
   * outputs (comm messages, streams, displays made by the handler's synchronous part) are
   * parented to it; an error in a handler is written to the kernel log and as a stderr stream on
   * the comm message, and the notebook carries on.
   */
  async comm(msg: CommRequest): Promise<void> {
    const { executor } = this.attached;
    const { send, log } = this.host;
    const outer = this.current;
    this.current = msg.id;
    let settled: Promise<void>;
    try {
      // Interruptible: a handler that loops synchronously stops on interrupt (KeyboardInterrupt).
      settled = executor.interruptible(() => this.comms.receive(msg.msgType, msg.content, msg.metadata, msg.buffers.map(fromBase64)));
    } catch (e) {
      settled = Promise.reject(e);
    } finally {
      this.current = outer;
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
  }
}
