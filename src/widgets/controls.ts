/**
 * @file The controls (ipywidgets names in brackets): `slider` (FloatSlider), `intSlider`
 * (IntSlider), `dropdown` (Dropdown), `checkbox` (Checkbox), `button` (Button), `text` (Text),
 * `hbox` and `vbox` (HBox, VBox). Each checks its options and says what is wrong.
 */
import { Widget } from "./widget.js";
import { GradlabError } from "../tensor/errors.js";

/** Options of {@link slider} and {@link intSlider}. */
export interface SliderOptions {
  min?: number;
  max?: number;
  step?: number;
  value?: number;
  description?: string;
  disabled?: boolean;
  /** Send values while dragging (default true) or only on release. */
  continuousUpdate?: boolean;
  /** A d3-format string for the readout (default ".2f", integers "d"). */
  readoutFormat?: string;
  orientation?: "horizontal" | "vertical";
}

function finite(what: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new GradlabError(`${what}: expected ${name} to be a finite number, got ${String(v)}`);
  return v;
}

/** A slider over numbers; `value` is clamped to [min, max] (as ipywidgets does). */
export class Slider extends Widget<number> {
  constructor(integer: boolean, opts: SliderOptions) {
    const what = integer ? "intSlider" : "slider";
    if (typeof opts !== "object" || opts === null)
      throw new GradlabError(`${what}: expected an options object like { min: 0, max: 1, value: 0.5 }, got ${String(opts)}`);
    super(integer ? "IntSliderModel" : "FloatSliderModel", {
      min: opts.min,
      max: opts.max,
      step: opts.step,
      value: opts.value,
      description: opts.description,
      disabled: opts.disabled,
      continuous_update: opts.continuousUpdate,
      readout_format: opts.readoutFormat,
      orientation: opts.orientation,
    });
  }

  protected override validate(s: Record<string, unknown>): Record<string, unknown> {
    const integer = s._model_name === "IntSliderModel";
    const what = integer ? "intSlider" : "slider";
    const min = finite(what, "min", s.min);
    const max = finite(what, "max", s.max);
    const step = finite(what, "step", s.step);
    if (min > max) throw new GradlabError(`${what}: expected min <= max, got min ${min} > max ${max}`);
    if (step <= 0) throw new GradlabError(`${what}: expected a positive step, got ${step}`);
    if (integer && ![min, max, step].every(Number.isInteger))
      throw new GradlabError(`${what}: expected integer min, max and step, got ${min}, ${max}, ${step} (use slider for real numbers)`);
    let value = finite(what, "value", s.value);
    if (integer) value = Math.round(value);
    return { ...s, value: Math.min(max, Math.max(min, value)) };
  }
}

/**
 * A slider over real numbers (ipywidgets FloatSlider).
 *
 * @example
 * const lr = slider({ min: 0, max: 1, step: 0.01, value: 0.1, description: "lr" });
 */
export function slider(opts: SliderOptions = {}): Slider {
  return new Slider(false, opts);
}

/**
 * A slider over integers (ipywidgets IntSlider).
 *
 * @example
 * const steps = intSlider({ min: 1, max: 50, value: 10, description: "steps" });
 */
export function intSlider(opts: SliderOptions = {}): Slider {
  return new Slider(true, opts);
}

/** Options of {@link dropdown}: labels alone, or [label, value] pairs. */
export interface DropdownOptions<T> {
  options: readonly (string | readonly [string, T])[];
  value?: T;
  description?: string;
  disabled?: boolean;
}

/** A choice among options; the front end sends the chosen `index`, `value` is that option's value. */
export class Dropdown<T = string> extends Widget<T> {
  private readonly values: T[];

  constructor(opts: DropdownOptions<T>) {
    if (!opts || !Array.isArray(opts.options) || opts.options.length === 0)
      throw new GradlabError(`dropdown: expected { options: [...] } with at least one option, got ${JSON.stringify(opts?.options)}`);
    const labels = opts.options.map((o) => (typeof o === "string" ? o : o[0]));
    const values = opts.options.map((o) => (typeof o === "string" ? o : o[1])) as T[];
    let index = 0;
    if (opts.value !== undefined) {
      index = values.indexOf(opts.value);
      if (index < 0)
        throw new GradlabError(`dropdown: the value ${JSON.stringify(opts.value)} is not among the options (${labels.join(", ")})`);
    }
    super("DropdownModel", { _options_labels: labels, index, description: opts.description, disabled: opts.disabled });
    this.values = values;
  }

  override get value(): T {
    return this.values[this.state.index as number] as T;
  }

  override set value(v: T) {
    this.set({ value: v });
  }

  /** `{ value }` is turned into `{ index }`. */
  override set(changes: Record<string, unknown>): this {
    if ("value" in changes) {
      const { value, ...rest } = changes;
      const index = this.values.indexOf(value as T);
      if (index < 0)
        throw new GradlabError(
          `dropdown.set: the value ${JSON.stringify(value)} is not among the options (${(this.state._options_labels as string[]).join(", ")})`,
        );
      return super.set({ ...rest, index });
    }
    return super.set(changes);
  }

  protected override validate(s: Record<string, unknown>): Record<string, unknown> {
    const n = (s._options_labels as unknown[]).length;
    if (!Number.isInteger(s.index) || (s.index as number) < 0 || (s.index as number) >= n)
      throw new GradlabError(`dropdown: expected an index in 0..${n - 1}, got ${String(s.index)}`);
    return s;
  }

  /** A change of `index` is also a change of `value` for observers. */
  protected override notify(name: string, old: unknown, now: unknown): void {
    if (name === "index") super.notify("value", this.values[old as number], this.values[now as number]);
    super.notify(name, old, now);
  }
}

/**
 * A dropdown (ipywidgets Dropdown).
 *
 * @example
 * const method = dropdown({ options: ["gradient descent", "Newton"], value: "Newton" });
 */
export function dropdown<T = string>(opts: DropdownOptions<T>): Dropdown<T> {
  return new Dropdown(opts);
}

/** A boolean widget. */
export class Checkbox extends Widget<boolean> {
  protected override validate(s: Record<string, unknown>): Record<string, unknown> {
    if (typeof s.value !== "boolean") throw new GradlabError(`checkbox: expected a boolean value, got ${String(s.value)}`);
    return s;
  }
}

/**
 * A checkbox (ipywidgets Checkbox).
 *
 * @example
 * const show = checkbox({ value: true, description: "show adjoints" });
 */
export function checkbox(opts: { value?: boolean; description?: string; disabled?: boolean; indent?: boolean } = {}): Checkbox {
  const c = new Checkbox("CheckboxModel", {
    value: opts.value ?? false,
    description: opts.description,
    disabled: opts.disabled,
    indent: opts.indent,
  });
  return c;
}

/** A text field. */
export class Text extends Widget<string> {
  protected override validate(s: Record<string, unknown>): Record<string, unknown> {
    if (typeof s.value !== "string") throw new GradlabError(`text: expected a string value, got ${String(s.value)}`);
    return s;
  }
}

/**
 * A one-line text field (ipywidgets Text).
 *
 * @example
 * const expr = text({ value: "x * x", description: "f(x)" });
 */
export function text(
  opts: { value?: string; description?: string; placeholder?: string; disabled?: boolean; continuousUpdate?: boolean } = {},
): Text {
  return new Text("TextModel", {
    value: opts.value ?? "",
    description: opts.description,
    placeholder: opts.placeholder,
    disabled: opts.disabled,
    continuous_update: opts.continuousUpdate,
  });
}

/** A button; `onClick` handlers run when the front end clicks it. */
export class Button extends Widget<undefined> {
  private readonly clicks = new Set<(b: Button) => void>();

  /** Call `fn` on each click; returns the function that stops it. */
  onClick(fn: (b: Button) => void): () => void {
    if (typeof fn !== "function") throw new GradlabError(`button.onClick: expected a function, got ${typeof fn}`);
    this.clicks.add(fn);
    return () => this.clicks.delete(fn);
  }

  /** Run the click handlers, as a click in the front end does. */
  click(): void {
    for (const fn of [...this.clicks]) fn(this);
  }

  protected override onCustom(content: unknown): void {
    if ((content as { event?: unknown } | undefined)?.event === "click") this.click();
  }
}

/**
 * A button (ipywidgets Button); its `value` is undefined.
 *
 * @example
 * const step = button({ description: "one step" });
 * step.onClick(() => { x.value = x.value - 0.1 * df(x.value); });
 */
export function button(
  opts: {
    description?: string;
    tooltip?: string;
    icon?: string;
    disabled?: boolean;
    buttonStyle?: "primary" | "success" | "info" | "warning" | "danger" | "";
  } = {},
): Button {
  return new Button("ButtonModel", {
    description: opts.description,
    tooltip: opts.tooltip,
    icon: opts.icon,
    disabled: opts.disabled,
    button_style: opts.buttonStyle,
  });
}

/** A row or column of widgets; `value` is its children. */
export class Box extends Widget<Widget[]> {
  constructor(
    model: "HBoxModel" | "VBoxModel",
    private kids: Widget[],
  ) {
    const what = model === "HBoxModel" ? "hbox" : "vbox";
    if (!Array.isArray(kids) || !kids.every((k) => k instanceof Widget))
      throw new GradlabError(`${what}: expected an array of widgets, got ${String(kids)}`);
    super(model, { children: kids.map((k) => `IPY_MODEL_${k.modelId}`) });
  }

  override get value(): Widget[] {
    return [...this.kids];
  }

  override set value(children: Widget[]) {
    this.kids = [...children];
    this.set({ children: children.map((k) => `IPY_MODEL_${k.modelId}`) });
  }
}

/**
 * Widgets side by side (ipywidgets HBox).
 *
 * @example
 * hbox([slider({ description: "x" }), slider({ description: "y" })]);
 */
export function hbox(children: Widget[]): Box {
  return new Box("HBoxModel", children);
}

/**
 * Widgets one above the other (ipywidgets VBox).
 *
 * @example
 * vbox([controls, output()]);
 */
export function vbox(children: Widget[]): Box {
  return new Box("VBoxModel", children);
}
