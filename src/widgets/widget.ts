/**
 * @file A widget model on the kernel side of the ipywidgets 8 message protocol (version 2.1.0):
 * its state, the `jupyter.widget` comm that keeps it in step with the front end, observers and
 * its display as `application/vnd.jupyter.widget-view+json`. Without a kernel comm layer (plain
 * Node) a widget still constructs and holds its values.
 *
 * Protocol (ipywidgets packages/schema/messages.md): the kernel opens a comm to target
 * `jupyter.widget` with `{ state, buffer_paths }` and metadata `{ version: "2.1.0" }`; both sides
 * then send `{ method: "update", state, buffer_paths }`; the front end may send
 * `{ method: "request_state" }` (answered with the whole state) and `{ method: "custom", content }`.
 */
import { platform } from "#platform";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime.js";
import { kernelComms, type Comm, type CommMessage } from "./comm.js";
import { MODEL_DEFAULTS, type ModelName } from "./models.js";
import { GradlabError } from "../tensor/errors.js";

/** The comm target of widget models. */
export const WIDGET_TARGET = "jupyter.widget";
/** The version of the widget message protocol spoken. */
export const PROTOCOL_VERSION = "2.1.0";
/** The MIME type of a widget view. */
export const WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json";

/** One change of a widget's state, as observers see it. */
export interface Change<T = unknown> {
  name: string;
  old: T;
  new: T;
  owner: Widget;
}

/** An observer of a widget; `observe` returns the function that removes it. */
export type Observer<T = unknown> = (change: Change<T>) => void;

/** Every widget alive in this process, by model id (for the notebook's widget state). */
const live = new Map<string, Widget>();

/**
 * The `application/vnd.jupyter.widget-state+json` of every live widget (version 2), which
 * nbconvert and the HTML widget manager render statically.
 *
 * @example
 * widgetState().state[s.modelId].state.value // the slider's last value
 */
export function widgetState(): {
  version_major: 2;
  version_minor: 0;
  state: Record<string, { model_name: string; model_module: string; model_module_version: string; state: Record<string, unknown> }>;
} {
  const state: ReturnType<typeof widgetState>["state"] = {};
  for (const w of live.values()) {
    const s = w.getState();
    state[w.modelId] = {
      model_name: String(s._model_name),
      model_module: String(s._model_module),
      model_module_version: String(s._model_module_version),
      state: s,
    };
  }
  return { version_major: 2, version_minor: 0, state };
}

/** Put binary buffers into a state at their paths (ipywidgets' `put_buffers`). */
function putBuffers(state: Record<string, unknown>, paths: unknown, buffers: Uint8Array[]): void {
  if (!Array.isArray(paths)) return;
  paths.forEach((path, i) => {
    if (!Array.isArray(path) || path.length === 0 || buffers[i] === undefined) return;
    let obj = state as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) obj = obj[key as string] as Record<string | number, unknown>;
    obj[path[path.length - 1] as string] = buffers[i];
  });
}

/**
 * A widget model. Subclasses give it a model name and initial state, and may validate values.
 *
 * @example
 * const s = slider({ min: 0, max: 1, value: 0.5 });
 * s.observe(({ new: v }) => console.log(v));
 * s.value = 0.75; // the front end's slider moves too
 */
export class Widget<T = unknown> {
  readonly modelId: string;
  protected readonly state: Record<string, unknown>;
  private comm: Comm | undefined;
  private readonly observers = new Map<string, Set<Observer>>();
  /** Sub-widgets created with this one (its layout and style). */
  readonly parts: Widget[] = [];

  constructor(modelName: ModelName, init: Record<string, unknown> = {}) {
    const state: Record<string, unknown> = structuredClone({ ...MODEL_DEFAULTS[modelName] });
    for (const [k, v] of Object.entries(init)) {
      if (!(k in state) || k === "layout" || k === "style")
        throw new Error(
          `${modelName.replace(/Model$/, "")}: unknown option "${k}" (expected one of ${Object.keys(state)
            .filter((s) => !s.startsWith("_"))
            .join(", ")})`,
        );
      if (v !== undefined) state[k] = v;
    }
    // Checked before anything is sent: wrong options throw and show nothing. (validate sees only
    // the state: subclass fields are not set yet.)
    this.state = this.validate(state, init);
    for (const key of ["layout", "style"]) {
      const sub = this.state[key];
      if (typeof sub === "string" && sub in MODEL_DEFAULTS) {
        const part = new Widget(sub as ModelName);
        this.parts.push(part);
        this.state[key] = `IPY_MODEL_${part.modelId}`;
      }
    }
    const layer = kernelComms();
    if (layer) {
      this.comm = layer.open(WIDGET_TARGET, { state: this.getState(), buffer_paths: [] }, { version: PROTOCOL_VERSION });
      this.modelId = this.comm.commId;
      this.comm.onMsg = (m) => this.onFrontEnd(m);
      this.comm.onClose = () => {
        this.comm = undefined;
        live.delete(this.modelId);
      };
    } else {
      this.modelId = platform.randomId();
    }
    live.set(this.modelId, this);
  }

  /** The widget's value (see each widget for its type). */
  get value(): T {
    return this.state.value as T;
  }

  set value(v: T) {
    this.set({ value: v });
  }

  /** A copy of the whole state, as the front end sees it. */
  getState(): Record<string, unknown> {
    return structuredClone(this.state);
  }

  /**
   * Change state keys (ipywidgets' names, e.g. `{ value: 2, max: 5 }`): validates them, sends one
   * update to the front end and calls the observers of what changed.
   */
  set(changes: Record<string, unknown>): this {
    const accepted = this.accept(changes);
    if (Object.keys(accepted).length > 0) this.comm?.send({ method: "update", state: accepted, buffer_paths: [] });
    return this;
  }

  /**
   * Call `fn` on every change of `name` (default "value"; "*" for every key), whether it came
   * from code or from the front end. Returns the function that stops it.
   *
   * @example
   * const stop = s.observe(({ old, new: now }) => console.log(old, "->", now));
   */
  observe(fn: Observer<T>, name = "value"): () => void {
    if (typeof fn !== "function")
      throw new GradlabError(`observe: expected a function ({ name, old, new, owner }) => void, got ${typeof fn}`);
    const set = this.observers.get(name) ?? new Set();
    this.observers.set(name, set);
    set.add(fn as Observer);
    return () => set.delete(fn as Observer);
  }

  /** Close the widget's comm (its views disappear) and forget it. */
  close(): void {
    for (const p of this.parts) p.close();
    this.comm?.close();
    this.comm = undefined;
    live.delete(this.modelId);
  }

  /** Validate and apply `changes`; returns the keys whose value changed (after validation). */
  protected accept(changes: Record<string, unknown>): Record<string, unknown> {
    const merged = { ...this.state };
    for (const [k, v] of Object.entries(changes)) {
      if (!(k in this.state))
        throw new Error(
          `${this.label()}.set: unknown key "${k}" (expected one of ${Object.keys(this.state)
            .filter((s) => !s.startsWith("_"))
            .join(", ")})`,
        );
      merged[k] = v;
    }
    const valid = this.validate(merged, changes);
    const changed: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(valid)) {
      if (JSON.stringify(this.state[k]) !== JSON.stringify(v)) changed[k] = v;
    }
    const olds = Object.fromEntries(Object.keys(changed).map((k) => [k, this.state[k]]));
    Object.assign(this.state, changed);
    for (const k of Object.keys(changed)) this.notify(k, olds[k], changed[k]);
    return changed;
  }

  /** Subclasses check and coerce a state (all keys, after the changes) here, from the state alone; throw on bad input. */
  protected validate(state: Record<string, unknown>, _changes: Record<string, unknown>): Record<string, unknown> {
    return state;
  }

  /** Call the observers of `name` (and of "*"). An observer that throws does not stop the others. */
  protected notify(name: string, old: unknown, now: unknown): void {
    const errors: unknown[] = [];
    for (const fn of [...(this.observers.get(name) ?? []), ...(this.observers.get("*") ?? [])]) {
      try {
        fn({ name, old, new: now, owner: this });
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${this.label()}: ${errors.length} observers of "${name}" failed`);
  }

  /** A message of the front end on this widget's comm. */
  protected onFrontEnd(m: CommMessage): void {
    const data = m.content.data as { method?: string; state?: Record<string, unknown>; buffer_paths?: unknown; content?: unknown };
    if (data.method === "update") {
      const incoming = { ...(data.state ?? {}) };
      putBuffers(incoming, data.buffer_paths, m.buffers);
      const known = Object.fromEntries(Object.entries(incoming).filter(([k]) => k in this.state));
      const merged = { ...this.state, ...known };
      const valid = this.validate(merged, known);
      // The front end already shows what it sent; tell it only what validation changed.
      const corrected = Object.fromEntries(
        Object.keys(known)
          .filter((k) => JSON.stringify(valid[k]) !== JSON.stringify(known[k]))
          .map((k) => [k, valid[k]]),
      );
      if (Object.keys(corrected).length > 0) this.comm?.send({ method: "update", state: corrected, buffer_paths: [] });
      this.accept(valid);
    } else if (data.method === "request_state") {
      this.comm?.send({ method: "update", state: this.getState(), buffer_paths: [] });
    } else if (data.method === "custom") {
      this.onCustom(data.content);
    } else {
      throw new Error(
        `${this.label()}: unknown widget message method ${JSON.stringify(data.method)} (expected update, request_state or custom)`,
      );
    }
  }

  /** A `custom` message of the front end (a button's click). */
  protected onCustom(_content: unknown): void {}

  /** The widget's class name, e.g. "FloatSlider". */
  protected label(): string {
    return String(this.state._model_name).replace(/Model$/, "");
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const shown = ["description", "value"]
      .filter((k) => k in this.state && this.state[k] !== "")
      .map((k) => `${k}=${JSON.stringify(this.state[k])}`);
    return {
      [WIDGET_VIEW_MIME]: { version_major: 2, version_minor: 1, model_id: this.modelId },
      "text/plain": `${this.label()}(${shown.join(", ")})`,
    };
  }
}
