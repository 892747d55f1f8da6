/**
 * @file gradlab's JupyterLite kernel, "TypeScript (gradlab)": each kernel is a module Web Worker
 * (kernel/browser/worker/worker.ts) that compiles and runs the cells with the engine of the Node kernel.
 * This side turns the front end's requests into the executor's messages (kernel/engine/ipc.ts, as
 * the Node kernel's protocol process does) and the worker's outputs into iopub messages.
 *
 * Interrupts: where the page is cross-origin isolated, it shares a flag with the worker (a
 * SharedArrayBuffer), which cells check in every loop and function: an interrupt sets it, and
 * the cell stops with KeyboardInterrupt, the notebook's state kept. A message rejects a pending
 * `await` as well. Code outside the cells (a library's loop) does not check the flag: when the
 * interrupted requests are not answered within {@link INTERRUPT_GRACE_MS}, the worker is
 * restarted and they fail with a message saying why (the state is lost); without isolation that
 * is the only way to stop code that runs, and the message says which headers would keep it.
 */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import { IServerSettings, KernelMessage, type ServerConnection } from "@jupyterlab/services";
import { BaseKernel, IKernelClient, IKernelSpecs, LiteKernelClient, type IKernel } from "@jupyterlite/services";
import type { ChildToHost, ErrorContent, HostToChild } from "../../engine/ipc.js";
import type { PageTexts, PageToWorker, WorkerToPage } from "../worker/worker.js";

type Request = HostToChild extends infer M ? (M extends { id: number } ? Omit<M, "id"> : never) : never;
type Output = Exclude<ChildToHost, { type: "ready" } | { type: "done" } | { type: "comm-done" }>;
type CommIn = KernelMessage.ICommOpenMsg | KernelMessage.ICommMsgMsg | KernelMessage.ICommCloseMsg;
type Done = Extract<ChildToHost, { type: "done" }>;
type Header = KernelMessage.IHeader<KernelMessage.MessageType> | undefined;

/** How long interrupted requests may go unanswered before the worker is restarted (as the Node kernel's executor). */
const INTERRUPT_GRACE_MS = 3000;

/** The language the kernel reports (as the Node kernel's kernel_info_reply). */
const LANGUAGE_INFO = {
  name: "typescript",
  version: "5.0",
  mimetype: "text/typescript",
  file_extension: ".ts",
  codemirror_mode: { name: "javascript", typescript: true },
};

class GradlabKernel extends BaseKernel {
  /** The running kernels by id, for the kernel client's interrupt. */
  static readonly running = new Map<string, GradlabKernel>();
  private worker!: Worker;
  private started: Promise<void>;
  /** The flag cells check (set: interrupted), shared with the worker; absent without cross-origin isolation. */
  private flag: Int32Array | undefined;
  private texts: PageTexts | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly workerName: string;
  private nextId = 1;
  private readonly pending = new Map<number, { output(m: Output): void; done(m: Done): void }>();
  /** The front end's comm messages in the worker (id -> settle when it has been handled). */
  private readonly commsPending = new Map<number, { parent: Header; done(): void }>();
  /** The open comms (id -> target name), for comm_info: kept from the comm messages that pass both ways. */
  private readonly openComms = new Map<string, string>();
  private readonly sendToClient: IKernel.IOptions["sendMessage"];
  /** Where output that arrives after its request is over goes (a timer's, an unawaited promise's). */
  private lastParent: Header;

  constructor(options: IKernel.IOptions) {
    super(options);
    this.sendToClient = options.sendMessage;
    // The kernel's folder on the site ("ru", "homework"; JupyterLite may prefix a drive), which the worker takes its language from.
    const location = options.location.replace(/^[^/:]*:/, "");
    this.workerName = JSON.stringify({ location });
    this.started = this.startWorker();
    GradlabKernel.running.set(this.id, this);
  }

  /** A new worker (a new notebook state), ready when it says so. */
  private startWorker(): Promise<void> {
    const url = URLExt.join(PageConfig.getOption("fullStaticUrl"), "gradlab", "worker.js");
    const worker = new Worker(url, { type: "module", name: this.workerName });
    this.worker = worker;
    this.flag = globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
    return new Promise((resolve, reject) => {
      worker.onerror = (e) => reject(new Error(`the gradlab worker failed to start: ${e.message}`));
      worker.onmessage = ({ data }: MessageEvent<WorkerToPage>) => {
        // (the worker takes messages from now on: the first one is the interrupt flag)
        if (data.type === "listening") worker.postMessage({ type: "setup", flag: this.flag } satisfies PageToWorker);
        else if (data.type === "ready") resolve();
        else if (data.type === "failed") reject(new Error(data.error));
        else if (data.type === "texts") this.texts = data.texts;
        else this.receive(data);
      };
    });
  }

  /**
   * The front end's interrupt: sets the flag (code in cells stops), rejects a pending `await`,
   * and restarts the worker if the requests that were running are not answered within the grace period.
   */
  interrupt(): void {
    const running = [...this.pending.keys(), ...this.commsPending.keys()];
    // The newest request sent: the worker clears the flag when a later one starts.
    if (this.flag) Atomics.store(this.flag, 0, Math.max(1, this.nextId - 1));
    this.worker.postMessage({ type: "interrupt" } satisfies PageToWorker);
    if (running.length === 0) return;
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      if (running.some((id) => this.pending.has(id) || this.commsPending.has(id))) this.restartWorker();
    }, INTERRUPT_GRACE_MS);
  }

  /** Ends the worker and starts a new one; the requests it had fail with the reason. */
  private restartWorker(): void {
    const texts = this.texts!;
    const evalue = this.flag ? texts.outsideCells.replace("{seconds}", String(INTERRUPT_GRACE_MS / 1000)) : texts.notIsolated;
    const error: ErrorContent = { ename: "ExecutorRestarted", evalue, traceback: [`ExecutorRestarted: ${evalue}`] };
    this.worker.terminate();
    const lost = [...this.pending];
    this.pending.clear();
    const comms = [...this.commsPending.values()];
    this.commsPending.clear();
    this.openComms.clear();
    this.started = this.startWorker();
    for (const [id, handler] of lost) handler.done({ type: "done", id, ok: false, error });
    for (const comm of comms) comm.done();
  }

  override get ready(): Promise<void> {
    return this.started;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    clearTimeout(this.graceTimer);
    GradlabKernel.running.delete(this.id);
    this.worker.terminate();
    super.dispose();
  }

  private receive(m: ChildToHost): void {
    if (m.type === "ready") return;
    const comm = this.commsPending.get(m.id);
    if (comm) {
      if (m.type === "comm-done") {
        this.commsPending.delete(m.id);
        comm.done();
      } else if (m.type !== "done") this.show(m, comm.parent);
      return;
    }
    if (m.type === "comm-done") return;
    const handler = this.pending.get(m.id);
    if (m.type === "done") {
      this.pending.delete(m.id);
      handler?.done(m);
    } else if (handler) handler.output(m);
    else this.show(m, this.lastParent);
  }

  /** One request to the worker; its outputs go to `parent`. */
  private request(req: Request, parent: Header): Promise<Done> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, { output: (m) => this.show(m, parent), done: resolve });
      this.worker.postMessage({ ...req, id } as HostToChild);
    });
  }

  private show(m: Output, parent: Header): void {
    if (m.type === "stream") this.stream({ name: m.name, text: m.text }, parent);
    else if (m.type === "display") {
      const data = m.data as KernelMessage.IDisplayDataMsg["content"]["data"];
      const metadata = m.metadata as KernelMessage.IDisplayDataMsg["content"]["metadata"];
      if (m.update && m.displayId) this.updateDisplayData({ data, metadata, transient: { display_id: m.displayId } }, parent);
      else this.displayData({ data, metadata, ...(m.displayId ? { transient: { display_id: m.displayId } } : {}) }, parent);
    } else if (m.type === "clear") this.clearOutput({ wait: m.wait }, parent);
    else if (m.type === "comm") {
      const id = String(m.content.comm_id);
      if (m.msgType === "comm_open") this.openComms.set(id, String(m.content.target_name));
      else if (m.msgType === "comm_close") this.openComms.delete(id);
      const buffers = m.buffers.map((b) => Uint8Array.from(atob(b), (c) => c.charCodeAt(0)).buffer);
      this.handleComm(m.msgType, m.content as never, m.metadata as never, buffers, parent);
    }
  }

  /** A comm message of the front end, to the worker's comm layer; settles when the worker has handled it. */
  private forwardComm(msg: CommIn): Promise<void> {
    const content = msg.content as unknown as Record<string, unknown>;
    const commId = String(content.comm_id);
    if (msg.header.msg_type === "comm_open") this.openComms.set(commId, String(content.target_name));
    else if (msg.header.msg_type === "comm_close") this.openComms.delete(commId);
    const id = this.nextId++;
    const buffers = (msg.buffers ?? []).map((b) => {
      const bytes = b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      let text = "";
      for (const byte of bytes) text += String.fromCharCode(byte);
      return btoa(text);
    });
    return new Promise((resolve) => {
      this.commsPending.set(id, { parent: msg.header as Header, done: resolve });
      this.worker.postMessage({
        type: "comm",
        id,
        msgType: msg.header.msg_type,
        content,
        metadata: msg.metadata as Record<string, unknown>,
        buffers,
      } satisfies HostToChild);
    });
  }

  /** comm_info_request, which BaseKernel does not dispatch, is answered here (the widget manager asks it on restore). */
  override async handleMessage(msg: KernelMessage.IMessage): Promise<void> {
    if (msg.header.msg_type !== "comm_info_request") return super.handleMessage(msg);
    const content = await this.commInfoRequest(msg.content as KernelMessage.ICommInfoRequestMsg["content"]);
    this.sendToClient(
      KernelMessage.createMessage({
        channel: "shell",
        msgType: "comm_info_reply",
        session: msg.header.session,
        parentHeader: msg.header as KernelMessage.IHeader<"comm_info_request">,
        content,
      }),
    );
  }

  async kernelInfoRequest(): Promise<KernelMessage.IInfoReplyMsg["content"]> {
    return {
      status: "ok",
      protocol_version: "5.3",
      implementation: "gradlab",
      implementation_version: PageConfig.getOption("appVersion"),
      language_info: LANGUAGE_INFO,
      banner: "gradlab: TypeScript with automatic differentiation, in your browser",
      help_links: [],
    };
  }

  async executeRequest(content: KernelMessage.IExecuteRequestMsg["content"]): Promise<KernelMessage.IExecuteReplyMsg["content"]> {
    const parent = this.parentHeader;
    this.lastParent = parent;
    const count = this.executionCount;
    const done = await this.request(
      { type: "execute", code: content.code, executionCount: count, silent: content.silent ?? false },
      parent,
    );
    if (done.ok) {
      if (done.result)
        this.publishExecuteResult(
          { execution_count: count, data: done.result.data as never, metadata: done.result.metadata as never },
          parent,
        );
      return { status: "ok", execution_count: count, user_expressions: {}, payload: (done.reply.payload ?? []) as never };
    }
    const error: ErrorContent = done.error;
    this.publishExecuteError(error, parent);
    return { status: "error", execution_count: count, ...error };
  }

  async completeRequest(content: KernelMessage.ICompleteRequestMsg["content"]): Promise<KernelMessage.ICompleteReplyMsg["content"]> {
    const done = await this.request({ type: "complete", code: content.code, cursor: content.cursor_pos }, this.parentHeader);
    if (!done.ok) return { status: "ok", matches: [], cursor_start: content.cursor_pos, cursor_end: content.cursor_pos, metadata: {} };
    return { status: "ok", ...(done.reply as Omit<KernelMessage.ICompleteReplyMsg["content"] & { status: "ok" }, "status">) };
  }

  async inspectRequest(content: KernelMessage.IInspectRequestMsg["content"]): Promise<KernelMessage.IInspectReplyMsg["content"]> {
    const done = await this.request(
      { type: "inspect", code: content.code, cursor: content.cursor_pos, detail: content.detail_level },
      this.parentHeader,
    );
    if (!done.ok) return { status: "ok", found: false, data: {}, metadata: {} };
    return { status: "ok", ...(done.reply as Omit<KernelMessage.IInspectReply, "status">) };
  }

  async isCompleteRequest(): Promise<KernelMessage.IIsCompleteReplyMsg["content"]> {
    return { status: "unknown" };
  }

  async commInfoRequest(content: KernelMessage.ICommInfoRequestMsg["content"]): Promise<KernelMessage.ICommInfoReplyMsg["content"]> {
    const comms: Record<string, { target_name: string }> = {};
    for (const [id, target] of this.openComms)
      if (content.target_name === undefined || content.target_name === target) comms[id] = { target_name: target };
    return { status: "ok", comms };
  }

  inputReply(): void {}
  async commOpen(msg: KernelMessage.ICommOpenMsg): Promise<void> {
    await this.forwardComm(msg);
  }
  async commMsg(msg: KernelMessage.ICommMsgMsg): Promise<void> {
    await this.forwardComm(msg);
  }
  async commClose(msg: KernelMessage.ICommCloseMsg): Promise<void> {
    await this.forwardComm(msg);
  }
}

/** JupyterLite's kernel client, which also tells gradlab's kernels of interrupts (JupyterLite's only cancels the queued requests). */
class GradlabKernelClient extends LiteKernelClient {
  override async interrupt(kernelId: string): Promise<void> {
    GradlabKernel.running.get(kernelId)?.interrupt();
    return super.interrupt(kernelId);
  }
}

/** In place of "@jupyterlite/services-extension:kernel-client" (main.ts disables it): {@link GradlabKernelClient}. */
export const gradlabKernelClientPlugin: JupyterFrontEndPlugin<IKernelClient> = {
  id: "gradlab:kernel-client",
  description: "JupyterLite's client of in-browser kernels, passing interrupts to gradlab's kernels",
  autoStart: true,
  requires: [IKernelSpecs],
  optional: [IServerSettings],
  provides: IKernelClient,
  activate: (_app, kernelSpecs: IKernelSpecs, serverSettings: ServerConnection.ISettings | null) =>
    new GradlabKernelClient({ kernelSpecs, serverSettings: serverSettings ?? undefined }),
};

/** Registers "TypeScript (gradlab)" with JupyterLite's kernel specs. */
export const gradlabKernelPlugin: JupyterFrontEndPlugin<void> = {
  id: "gradlab:kernel",
  description: "gradlab's TypeScript kernel, running in a Web Worker",
  autoStart: true,
  requires: [IKernelSpecs],
  activate: (_app, specs: IKernelSpecs) => {
    specs.register({
      spec: {
        name: "gradlab",
        display_name: "TypeScript (gradlab)",
        language: "typescript",
        argv: [],
        resources: {},
      },
      create: async (options: IKernel.IOptions) => new GradlabKernel(options),
    });
  },
};
