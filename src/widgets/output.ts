/**
 * @file The Output widget (@jupyter-widgets/output OutputModel): a list of notebook outputs the
 * kernel sets as the model's `outputs` state, so front ends and the static widget state (HTML
 * pages of executed notebooks) show the same thing.
 */
import { platform } from "#platform";
import { isDisplayable, JUPYTER_DISPLAY, type MimeBundle } from "../display/mime.js";
import { Widget } from "./widget.js";

/** One nbformat output held by an Output widget. */
export type WidgetOutput =
  | { output_type: "display_data"; data: MimeBundle; metadata: Record<string, unknown> }
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/**
 * The MIME bundle of any value, as the kernel's display shows it.
 *
 * @example
 * bundleOf(42) // { "text/plain": "42" }
 */
export function bundleOf(value: unknown): MimeBundle {
  if (isDisplayable(value)) {
    const b = value[JUPYTER_DISPLAY]();
    return "text/plain" in b ? b : { ...b, "text/plain": platform.inspect(value, 1) };
  }
  return { "text/plain": typeof value === "string" ? value : platform.inspect(value, 4) };
}

/** An area of outputs inside a widget layout; `value` is its outputs. */
export class Output extends Widget<WidgetOutput[]> {
  private clearPending = false;

  override get value(): WidgetOutput[] {
    return structuredClone(this.state.outputs as WidgetOutput[]);
  }

  override set value(outputs: WidgetOutput[]) {
    this.set({ outputs });
  }

  /**
   * Remove the outputs; with `wait`, only when the next output arrives (no flicker: the old
   * result stays until the new one replaces it in one update), as IPython's clear_output(wait=True).
   */
  clear(opts: { wait?: boolean } = {}): void {
    if (opts.wait) {
      this.clearPending = true;
      return;
    }
    this.clearPending = false;
    this.set({ outputs: [] });
  }

  /** Show values (as `display` would) below the current outputs, or instead of them after `clear({ wait: true })`. */
  display(...values: unknown[]): void {
    this.append(values.map((v) => ({ output_type: "display_data", data: bundleOf(v), metadata: {} })));
  }

  /** Add outputs (after a pending clear, replace). */
  append(outputs: WidgetOutput[]): void {
    const base = this.clearPending ? [] : (this.state.outputs as WidgetOutput[]);
    this.clearPending = false;
    this.set({ outputs: [...base, ...outputs] });
  }
}

/**
 * An Output widget (ipywidgets Output).
 *
 * @example
 * const out = output();
 * out.display(backprop(f, x, w, b));
 */
export function output(): Output {
  return new Output("OutputModel");
}
