/**
 * @file The widget state of an executed notebook, as nbclient keeps it: the models that kernel
 * comms opened on target `jupyter.widget`, with every `update` applied and closed ones dropped,
 * written into the notebook metadata as `application/vnd.jupyter.widget-state+json` (version 2),
 * which nbconvert's HTML and the runner's pages (html.ts) render statically.
 */

/** The MIME type of a notebook's widget state. */
export const WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json";

/** One model in the saved state. */
export interface SavedModel {
  model_name: string;
  model_module: string;
  model_module_version: string;
  state: Record<string, unknown>;
}

/** `application/vnd.jupyter.widget-state+json`. */
export interface WidgetStateJson {
  version_major: 2;
  version_minor: 0;
  state: Record<string, SavedModel>;
}

/**
 * The live widget models of one notebook's kernel, fed with its iopub comm messages.
 *
 * @example
 * const w = new WidgetStates();
 * w.add("comm_open", { comm_id: "a", target_name: "jupyter.widget", data: { state: { _model_name: "FloatSliderModel", value: 1 } } });
 * w.add("comm_msg", { comm_id: "a", data: { method: "update", state: { value: 2 } } });
 * w.json().state.a.state.value; // 2
 */
export class WidgetStates {
  private readonly models = new Map<string, SavedModel>();

  /** Apply one iopub message; returns true when it was a widget message. */
  add(msgType: string, content: Record<string, unknown>): boolean {
    const id = typeof content.comm_id === "string" ? content.comm_id : undefined;
    if (!id) return false;
    const data = (content.data ?? {}) as { state?: Record<string, unknown>; method?: string };
    if (msgType === "comm_open") {
      if (content.target_name !== "jupyter.widget" || typeof data.state !== "object" || data.state === null) return false;
      const s = data.state;
      this.models.set(id, {
        model_name: String(s._model_name),
        model_module: String(s._model_module),
        model_module_version: String(s._model_module_version),
        state: { ...s },
      });
      return true;
    }
    const model = this.models.get(id);
    if (!model) return false;
    if (msgType === "comm_close") this.models.delete(id);
    else if (msgType === "comm_msg" && (data.method === "update" || data.method === "echo_update") && data.state)
      Object.assign(model.state, data.state);
    return true;
  }

  get size(): number {
    return this.models.size;
  }

  /** The state as saved in notebook metadata. */
  json(): WidgetStateJson {
    return { version_major: 2, version_minor: 0, state: Object.fromEntries([...this.models].map(([id, m]) => [id, structuredClone(m)])) };
  }
}

/**
 * Put the widget state into the notebook metadata (`metadata.widgets`), or remove a stale one when
 * the run left no widgets.
 *
 * @example
 * saveWidgetState(nb.metadata, widgets);
 */
export function saveWidgetState(metadata: Record<string, unknown>, widgets: WidgetStates): void {
  if (widgets.size === 0) {
    delete metadata.widgets;
    return;
  }
  metadata.widgets = { [WIDGET_STATE_MIME]: widgets.json() };
}
