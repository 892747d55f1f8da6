/** @file Turns a cell's iopub messages into nbformat v4 outputs, as nbclient does (streams coalesced, clear_output and update_display_data applied). */

import type { CellError, NotebookOutput, RichOutput } from "../notebook/notebook.js";
import type { WidgetStates } from "./widget-state.js";

export type { CellError, NotebookOutput, RichOutput } from "../notebook/notebook.js";

/** display_id -> the outputs showing it (see {@link OutputCollector}). */
export type DisplayRegistry = Map<string, RichOutput[]>;

/**
 * Accumulates the iopub messages of one execution into nbformat outputs.
 *
 * @example
 * const c = new OutputCollector();
 * c.add("stream", { name: "stdout", text: "a" });
 * c.add("stream", { name: "stdout", text: "b" });
 * c.outputs; // [{ output_type: "stream", name: "stdout", text: "ab" }]
 */
export class OutputCollector {
  readonly outputs: NotebookOutput[] = [];
  /** The last `error` message seen, if any. */
  error: CellError | undefined;
  /** `execution_count` announced by `execute_input` or `execute_result`. */
  executionCount: number | null = null;
  private clearPending = false;

  /**
   * @param displays display_id -> the outputs showing it. Pass one map to the collectors of a
   *   whole notebook so `update_display_data` also reaches earlier cells, as nbclient does.
   * @param widgets the notebook's widget models, which comm messages of the cell update.
   */
  constructor(
    private readonly displays: DisplayRegistry = new Map(),
    private readonly widgets?: WidgetStates,
  ) {}

  /**
   * Applies one iopub message (its `msg_type` and `content`); returns true when it changed the outputs.
   *
   * @example
   * new OutputCollector().add("clear_output", { wait: false }); // true
   */
  add(msgType: string, content: Record<string, unknown>): boolean {
    switch (msgType) {
      case "comm_open":
      case "comm_msg":
      case "comm_close":
        this.widgets?.add(msgType, content);
        return false;
      case "execute_input":
        if (typeof content.execution_count === "number") this.executionCount = content.execution_count;
        return false;
      case "stream": {
        const name = content.name === "stderr" ? "stderr" : "stdout";
        const text = String(content.text ?? "");
        this.flushClear();
        const last = this.outputs[this.outputs.length - 1];
        if (last && last.output_type === "stream" && last.name === name) last.text += text;
        else this.outputs.push({ output_type: "stream", name, text });
        return true;
      }
      case "display_data":
      case "execute_result": {
        this.flushClear();
        const data = (content.data ?? {}) as Record<string, unknown>;
        const metadata = (content.metadata ?? {}) as Record<string, unknown>;
        if (msgType === "execute_result") {
          const count = typeof content.execution_count === "number" ? content.execution_count : null;
          if (count !== null) this.executionCount = count;
          this.outputs.push({ output_type: "execute_result", execution_count: count, data, metadata });
        } else {
          this.outputs.push({ output_type: "display_data", data, metadata });
        }
        const id = displayId(content);
        if (id !== undefined)
          this.displays.set(id, [...(this.displays.get(id) ?? []), this.outputs[this.outputs.length - 1] as RichOutput]);
        return true;
      }
      case "update_display_data": {
        const id = displayId(content);
        const where = id === undefined ? undefined : this.displays.get(id);
        if (!where) return false;
        for (const out of where) {
          out.data = (content.data ?? {}) as Record<string, unknown>;
          out.metadata = (content.metadata ?? {}) as Record<string, unknown>;
        }
        return true;
      }
      case "clear_output":
        if (content.wait) this.clearPending = true;
        else this.clear();
        return !content.wait;
      case "error": {
        this.flushClear();
        const err: CellError = {
          ename: String(content.ename ?? "Error"),
          evalue: String(content.evalue ?? ""),
          traceback: Array.isArray(content.traceback) ? content.traceback.map(String) : [],
        };
        this.error = err;
        this.outputs.push({ output_type: "error", ...err });
        return true;
      }
      default:
        return false;
    }
  }

  private flushClear(): void {
    if (this.clearPending) this.clear();
  }

  private clear(): void {
    const gone = new Set<NotebookOutput>(this.outputs);
    for (const [id, outs] of this.displays)
      this.displays.set(
        id,
        outs.filter((o) => !gone.has(o)),
      );
    this.outputs.length = 0;
    this.clearPending = false;
  }
}

function displayId(content: Record<string, unknown>): string | undefined {
  const transient = content.transient as { display_id?: unknown } | undefined;
  return typeof transient?.display_id === "string" ? transient.display_id : undefined;
}
