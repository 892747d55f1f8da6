/// <reference lib="dom" />
/**
 * @file The browser side of the front-end widget test, bundled by esbuild: ipywidgets 8's
 * own front end (`@jupyter-widgets/html-manager` with the `controls` and `base` models and views)
 * connected to the gradlab kernel through a Jupyter server by `@jupyterlab/services`, as
 * JupyterLab connects them. The page's query string names the server (`server`, `token`); the
 * test drives it through `window.harness`.
 */
import { shims, type DOMWidgetView, type WidgetModel } from "@jupyter-widgets/base";
import { HTMLManager } from "@jupyter-widgets/html-manager";
import { KernelManager, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import "@jupyter-widgets/base/css/index.css";
import "@jupyter-widgets/controls/css/widgets-base.css";
import "@jupyter-widgets/controls/css/labvariables.css";
import "@jupyter-widgets/html-manager/css/output.css";

const VIEW_MIME = "application/vnd.jupyter.widget-view+json";
/** Every model the kernel opened, as the manager created them. */
const models: WidgetModel[] = [];

/** HTMLManager renders widgets statically; with these comm hooks its models talk to a live kernel (as JupyterLab's manager does). */
class KernelWidgetManager extends HTMLManager {
  constructor(private readonly kernel: Kernel.IKernelConnection) {
    super();
    kernel.registerCommTarget(this.comm_target_name, async (comm, msg) => {
      models.push(await this.handle_comm_open(new shims.services.Comm(comm), msg));
    });
  }

  override async _create_comm(target: string, modelId: string, data?: unknown, metadata?: unknown): Promise<shims.services.Comm> {
    const comm = this.kernel.createComm(target, modelId);
    if (data !== undefined || metadata !== undefined) comm.open(data as never, metadata as never);
    return new shims.services.Comm(comm);
  }

  override async _get_comm_info(): Promise<Record<string, unknown>> {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === "ok" ? reply.content.comms : {};
  }
}

/** What one executed cell produced: its status and its display outputs' MIME bundles. */
interface CellResult {
  status: string;
  error?: string;
  outputs: Record<string, unknown>[];
}

/** The page's API for the test. */
interface Harness {
  /** Set once the kernel is connected and idle. */
  ready: boolean;
  /** Any failure while starting, for the test to report instead of a timeout. */
  failure?: string;
  /** Run a cell; widget views it displays are drawn into #widgets. */
  execute(code: string): Promise<CellResult>;
  /** The current state `key` of every model whose `_model_name` is `name`, as the front end holds it (in the order the kernel opened them). */
  state(name: string, key: string): unknown[];
}

const params = new URLSearchParams(location.search);
const settings = ServerConnection.makeSettings({
  baseUrl: params.get("server")!,
  wsUrl: params.get("server")!.replace(/^http/, "ws"),
  token: params.get("token")!,
  appendToken: true,
});
const area = document.getElementById("widgets")!;
const harness: Harness = {
  ready: false,
  execute: () => Promise.reject(new Error("the kernel is not connected yet")),
  state: (name, key) => models.filter((m) => m.get("_model_name") === name).map((m) => m.get(key)),
};
(window as unknown as { harness: Harness }).harness = harness;

async function start(): Promise<void> {
  const kernels = new KernelManager({ serverSettings: settings });
  const kernel = await kernels.startNew({ name: params.get("kernel") ?? "gradlab" });
  const manager = new KernelWidgetManager(kernel);
  await kernel.info;
  harness.execute = async (code) => {
    const result: CellResult = { status: "", outputs: [] };
    const future = kernel.requestExecute({ code });
    const views: Promise<void>[] = [];
    future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
      if (msg.header.msg_type !== "display_data" && msg.header.msg_type !== "execute_result") return;
      const data = (msg.content as { data: Record<string, unknown> }).data;
      result.outputs.push(data);
      const view = data[VIEW_MIME] as { model_id: string } | undefined;
      if (!view) return;
      const box = area.appendChild(document.createElement("div"));
      box.className = "widget-area";
      views.push(
        manager.get_model(view.model_id).then(async (model: WidgetModel) => {
          await manager.display_view(manager.create_view(model) as Promise<DOMWidgetView>, box);
        }),
      );
    };
    const reply = await future.done;
    await Promise.all(views);
    result.status = reply.content.status;
    if (reply.content.status === "error") result.error = `${reply.content.ename}: ${reply.content.evalue}`;
    return result;
  };
  harness.ready = true;
}

start().catch((e: unknown) => {
  harness.failure = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
});
