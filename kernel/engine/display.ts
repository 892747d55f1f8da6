/**
 * @file The notebook display API (`display(x)`, `display.html(...)`, display ids) and the
 * `tslab` module shim backed by it, so `import * as tslab from "tslab"` keeps working.
 */
import { randomUUID } from "node:crypto";
import { getPrintOptions } from "../../src/tensor/print-options.js";
import { inspect } from "node:util";
import { isDisplayable, JUPYTER_DISPLAY, type MimeBundle } from "../../src/display/mime.js";
import { toBase64 } from "./ipc.js";

/** Where display messages go (the executor forwards them to iopub). */
export interface DisplaySink {
  display(data: MimeBundle, metadata: Record<string, unknown>, displayId: string | undefined, update: boolean): void;
  clear(wait: boolean): void;
}

/** Options for any display call: a display id, and whether to update that earlier output. */
export interface DisplayOptions {
  displayId?: string;
  update?: boolean;
  metadata?: Record<string, unknown>;
}

/** The `display` function with its helpers, as seen by notebooks. */
export interface DisplayApi {
  (value: unknown, opts?: DisplayOptions): void;
  html(s: string, opts?: DisplayOptions): void;
  markdown(s: string, opts?: DisplayOptions): void;
  latex(s: string, opts?: DisplayOptions): void;
  svg(s: string, opts?: DisplayOptions): void;
  png(data: Uint8Array | string, opts?: DisplayOptions): void;
  jpeg(data: Uint8Array | string, opts?: DisplayOptions): void;
  text(s: string, opts?: DisplayOptions): void;
  javascript(s: string, opts?: DisplayOptions): void;
  raw(mime: string, data: unknown, opts?: DisplayOptions): void;
  bundle(b: MimeBundle, opts?: DisplayOptions): void;
  /** A display bound to a fresh id: its first call shows, later calls update in place. */
  newDisplay(): DisplayApi;
  /** Clear the cell's output (`wait`: when the next output arrives). */
  clear(wait?: boolean): void;
}

/**
 * The MIME bundle for any value: `[Symbol.for("Jupyter.display")]()` when present, else text.
 *
 * @example
 * toBundle(42) // { "text/plain": "42" }
 */
export function toBundle(value: unknown): MimeBundle {
  if (isDisplayable(value)) {
    const b = value[JUPYTER_DISPLAY]();
    if (typeof b !== "object" || b === null)
      throw new Error(`display: expected [Symbol.for("Jupyter.display")]() to return a MIME bundle, got ${String(b)}`);
    return "text/plain" in b ? b : { ...b, "text/plain": inspect(value, { depth: 1 }) };
  }
  if (typeof value === "number" && !Number.isInteger(value)) {
    // `%precision N` (setPrintOptions) applies to a cell's plain number as it does in IPython.
    const { precision } = getPrintOptions();
    if (precision !== null) return { "text/plain": String(Number(value.toPrecision(precision))) };
  }
  return { "text/plain": typeof value === "string" ? value : inspect(value, { depth: 4 }) };
}

const base64 = (data: Uint8Array | string): string => (typeof data === "string" ? data : toBase64(data));

/**
 * Build the display API over a sink. With `boundId`, the first call displays and later
 * calls update (tslab's `newDisplay` semantics).
 *
 * @example
 * const display = createDisplay(sink);
 * display.html("<b>hi</b>");
 * const d = display.newDisplay(); d.text("0%"); d.text("100%"); // second call updates
 */
export function createDisplay(sink: DisplaySink, boundId?: string): DisplayApi {
  let shown = false;
  const emit = (data: MimeBundle, opts: DisplayOptions = {}): void => {
    const displayId = opts.displayId ?? boundId;
    const update = opts.update ?? (boundId !== undefined && shown);
    if (update && displayId === undefined) throw new Error("display: expected a displayId with update: true, got none");
    shown = true;
    sink.display(data, opts.metadata ?? {}, displayId, update);
  };
  const display = ((value: unknown, opts?: DisplayOptions) => emit(toBundle(value), opts)) as DisplayApi;
  display.raw = (mime, data, opts) => {
    if (typeof mime !== "string" || !mime.includes("/"))
      throw new Error(`display.raw: expected a MIME type like "text/html", got ${String(mime)}`);
    emit({ [mime]: data instanceof Uint8Array ? base64(data) : data }, opts);
  };
  display.bundle = (b, opts) => {
    if (typeof b !== "object" || b === null) throw new Error(`display.bundle: expected a MIME bundle object, got ${String(b)}`);
    emit(b, opts);
  };
  display.html = (s, o) => display.raw("text/html", s, o);
  display.markdown = (s, o) => display.raw("text/markdown", s, o);
  display.latex = (s, o) => display.raw("text/latex", s, o);
  display.svg = (s, o) => display.raw("image/svg+xml", s, o);
  display.png = (d, o) => display.raw("image/png", base64(d), o);
  display.jpeg = (d, o) => display.raw("image/jpeg", base64(d), o);
  display.text = (s, o) => display.raw("text/plain", s, o);
  display.javascript = (s, o) => display.raw("application/javascript", s, o);
  display.newDisplay = () => createDisplay(sink, randomUUID());
  display.clear = (wait = false) => sink.clear(wait);
  return display;
}

/**
 * The object returned for `require("tslab")`: tslab's public API (`display`, `newDisplay`,
 * `versions`) backed by gradlab's display.
 *
 * @example
 * createTslabShim(display).display.html("<i>x</i>");
 */
export function createTslabShim(display: DisplayApi, versions: Record<string, string>): Record<string, unknown> {
  return { display, newDisplay: () => display.newDisplay(), versions };
}

/** TypeScript declarations for the notebook globals (prepended to the first cell's context). */
export const DISPLAY_DECLARATIONS = `
interface GradlabDisplayOptions { displayId?: string; update?: boolean; metadata?: Record<string, unknown> }
interface GradlabDisplay {
  (value: unknown, opts?: GradlabDisplayOptions): void;
  html(s: string, opts?: GradlabDisplayOptions): void;
  markdown(s: string, opts?: GradlabDisplayOptions): void;
  latex(s: string, opts?: GradlabDisplayOptions): void;
  svg(s: string, opts?: GradlabDisplayOptions): void;
  png(data: Uint8Array | string, opts?: GradlabDisplayOptions): void;
  jpeg(data: Uint8Array | string, opts?: GradlabDisplayOptions): void;
  text(s: string, opts?: GradlabDisplayOptions): void;
  javascript(s: string, opts?: GradlabDisplayOptions): void;
  raw(mime: string, data: unknown, opts?: GradlabDisplayOptions): void;
  bundle(b: Record<string, unknown>, opts?: GradlabDisplayOptions): void;
  newDisplay(): GradlabDisplay;
  clear(wait?: boolean): void;
}
/** Show a value (MIME bundle of [Symbol.for("Jupyter.display")]() or text); display.html(...), display.newDisplay() ... */
declare const display: GradlabDisplay;
`;
