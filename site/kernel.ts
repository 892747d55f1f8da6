/**
 * @file gradlab's JupyterLite kernel, "TypeScript (gradlab)": each kernel is a module Web Worker
 * (kernel/browser/worker.ts) that compiles and runs the cells with the engine of the Node kernel.
 * This side turns the front end's requests into the executor's messages (kernel/exec/ipc.ts, as
 * the Node kernel's protocol process does) and the worker's outputs into iopub messages.
 */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import type { KernelMessage } from "@jupyterlab/services";
import { BaseKernel, IKernelSpecs, type IKernel } from "@jupyterlite/services";
import type { ChildToHost, ErrorContent, HostToChild } from "../kernel/exec/ipc.js";

type Request = HostToChild extends infer M ? (M extends { id: number } ? Omit<M, "id"> : never) : never;
type Output = Exclude<ChildToHost, { type: "ready" } | { type: "done" }>;
type Done = Extract<ChildToHost, { type: "done" }>;
type Header = KernelMessage.IHeader<KernelMessage.MessageType> | undefined;

/** The language the kernel reports (as the Node kernel's kernel_info_reply). */
const LANGUAGE_INFO = {
  name: "typescript",
  version: "5.0",
  mimetype: "text/typescript",
  file_extension: ".ts",
  codemirror_mode: { name: "javascript", typescript: true },
};

class GradlabKernel extends BaseKernel {
  private readonly worker: Worker;
  private readonly started: Promise<void>;
  private nextId = 1;
  private readonly pending = new Map<number, { output(m: Output): void; done(m: Done): void }>();
  /** Where output that arrives after its request is over goes (a timer's, an unawaited promise's). */
  private lastParent: Header;

  constructor(options: IKernel.IOptions) {
    super(options);
    const url = URLExt.join(PageConfig.getOption("fullStaticUrl"), "gradlab", "worker.js");
    // The kernel's folder on the site ("ru", "homework"; JupyterLite may prefix a drive), which the worker takes its language from.
    const location = options.location.replace(/^[^/:]*:/, "");
    this.worker = new Worker(url, { type: "module", name: JSON.stringify({ location }) });
    this.started = new Promise((resolve, reject) => {
      this.worker.onerror = (e) => reject(new Error(`the gradlab worker failed to start: ${e.message}`));
      this.worker.onmessage = ({ data }: MessageEvent<ChildToHost | { type: "failed"; error: string }>) => {
        if (data.type === "ready") resolve();
        else if (data.type === "failed") reject(new Error(data.error));
        else this.receive(data);
      };
    });
  }

  override get ready(): Promise<void> {
    return this.started;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.worker.terminate();
    super.dispose();
  }

  private receive(m: ChildToHost): void {
    if (m.type === "ready" || m.type === "comm-done") return;
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

  async commInfoRequest(): Promise<KernelMessage.ICommInfoReplyMsg["content"]> {
    return { status: "ok", comms: {} };
  }

  inputReply(): void {}
  async commOpen(): Promise<void> {}
  async commMsg(): Promise<void> {}
  async commClose(): Promise<void> {}
}

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
