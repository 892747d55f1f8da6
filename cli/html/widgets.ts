/**
 * @file Static HTML of widget views from a notebook's saved widget state (widget-state.ts): the
 * runner's pages show each control with its last value, disabled, and an Output widget's outputs,
 * as nbconvert shows them from the same state. Pure: models in, markup out.
 */
import type { SavedModel } from "../client/widget-state.js";
import { escapeHtml } from "../../src/display/escape.js";

/** The MIME type of a widget view output. */
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";

const esc = (s: unknown): string => escapeHtml(String(s ?? ""));

/** A slider's readout as its d3 format says (".2f", ".3g", "d"; others as the plain number). */
function readout(value: unknown, format: unknown): string {
  const v = Number(value);
  const fixed = /^\.(\d+)f$/.exec(String(format));
  if (fixed) return v.toFixed(Number(fixed[1]));
  // d3's "g" is toPrecision's notation (significant digits, exponent for large and tiny numbers).
  const general = /^\.(\d+)g$/.exec(String(format));
  if (general) return v.toPrecision(Math.max(1, Number(general[1])));
  if (format === "d") return String(Math.round(v));
  return String(v);
}

const ref = (s: unknown): string => String(s).replace(/^IPY_MODEL_/, "");

/**
 * The markup of the widget `modelId` and its children, or undefined when the state lacks it or
 * its model is not one gradlab draws (the page then shows the text/plain fallback).
 *
 * @example
 * renderWidget(id, nb.metadata.widgets[WIDGET_STATE_MIME].state, (outs) => outs.map(render).join(""));
 */
export function renderWidget(
  modelId: string,
  models: Record<string, SavedModel>,
  renderOutputs: (outputs: unknown[]) => string,
  seen = new Set<string>(),
): string | undefined {
  const model = models[modelId];
  if (!model || seen.has(modelId)) return undefined;
  const inner = new Set(seen).add(modelId);
  const s = model.state;
  const label = s.description ? `<label class="widget-label">${esc(s.description)}</label>` : "";
  switch (model.model_name) {
    case "FloatSliderModel":
    case "IntSliderModel":
      return `<div class="widget slider">${label}<input type="range" min="${esc(s.min)}" max="${esc(s.max)}" step="${esc(s.step)}" value="${esc(s.value)}" disabled><output>${esc(readout(s.value, s.readout_format))}</output></div>`;
    case "CheckboxModel":
      return `<div class="widget checkbox"><label><input type="checkbox"${s.value ? " checked" : ""} disabled> ${esc(s.description)}</label></div>`;
    case "DropdownModel": {
      const labels = Array.isArray(s._options_labels) ? s._options_labels : [];
      const options = labels.map((l, i) => `<option${i === s.index ? " selected" : ""}>${esc(l)}</option>`).join("");
      return `<div class="widget dropdown">${label}<select disabled>${options}</select></div>`;
    }
    case "TextModel":
      return `<div class="widget text">${label}<input type="text" value="${esc(s.value)}" disabled></div>`;
    case "ButtonModel":
      return `<div class="widget button"><button disabled>${esc(s.description)}</button></div>`;
    case "HBoxModel":
    case "VBoxModel": {
      const kids = (Array.isArray(s.children) ? s.children : [])
        .map((c) => renderWidget(ref(c), models, renderOutputs, inner) ?? "")
        .join("");
      return `<div class="widget ${model.model_name === "HBoxModel" ? "hbox" : "vbox"}">${kids}</div>`;
    }
    case "OutputModel":
      return `<div class="widget output">${renderOutputs(Array.isArray(s.outputs) ? s.outputs : [])}</div>`;
    default:
      return undefined;
  }
}

/** Styles of the static widgets. */
export const WIDGET_STYLE = `.widget{margin:2px 0}.widget.hbox{display:flex;gap:.75rem;align-items:center}.widget.vbox{display:flex;flex-direction:column}
.widget-label{display:inline-block;min-width:6rem;text-align:right;margin-right:.5rem}.widget.slider input{vertical-align:middle;width:14rem}.widget.slider output{margin-left:.5rem;font:13px monospace}`;
