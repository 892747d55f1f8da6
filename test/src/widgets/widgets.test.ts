/** @file Widgets without a kernel (plain Node): values, validation, observers, interact, widget state. */
import { describe, expect, it } from "vitest";
import {
  add,
  backprop,
  gradcheck,
  index,
  mul,
  sigmoid,
  stack,
  sum,
  tensor,
  live,
  type Tensor,
  button,
  checkbox,
  dropdown,
  hbox,
  interact,
  intSlider,
  output,
  slider,
  text,
  vbox,
  widgetState,
  WIDGET_VIEW_MIME,
  JUPYTER_DISPLAY,
  kernelComms,
} from "../../../src/index.js";

describe("widgets in plain Node", () => {
  it("have no comm layer, yet construct and hold values", () => {
    expect(kernelComms()).toBeUndefined();
    const s = slider({ min: 0, max: 2, step: 0.25, value: 1, description: "x" });
    expect(s.value).toBe(1);
    s.value = 1.5;
    expect(s.value).toBe(1.5);
    expect(s.getState()).toMatchObject({
      _model_name: "FloatSliderModel",
      _model_module: "@jupyter-widgets/controls",
      _model_module_version: "2.0.0",
      _view_name: "FloatSliderView",
      min: 0,
      max: 2,
      step: 0.25,
      value: 1.5,
      description: "x",
      readout_format: ".2f",
      continuous_update: true,
      behavior: "drag-tap",
    });
    expect(String(s.getState().layout)).toMatch(/^IPY_MODEL_[0-9a-f]{32}$/);
    expect(s[JUPYTER_DISPLAY]()).toEqual({
      [WIDGET_VIEW_MIME]: { version_major: 2, version_minor: 1, model_id: s.modelId },
      "text/plain": 'FloatSlider(description="x", value=1.5)',
    });
  });

  it("clamp slider values, round integer sliders, and reject bad options with the reason", () => {
    const s = slider({ min: 0, max: 1, value: 3 });
    expect(s.value).toBe(1);
    s.value = -2;
    expect(s.value).toBe(0);
    const n = intSlider({ min: 0, max: 10, value: 4.6 });
    expect(n.value).toBe(5);
    expect(() => slider({ min: 2, max: 1 })).toThrow("slider: expected min <= max, got min 2 > max 1");
    expect(() => slider({ step: 0 })).toThrow("slider: expected a positive step, got 0");
    expect(() => intSlider({ step: 0.5 })).toThrow("intSlider: expected integer min, max and step");
    expect(() => slider({ value: Number.NaN })).toThrow("slider: expected value to be a finite number, got NaN");
    expect(() => s.set({ valeu: 1 })).toThrow('FloatSlider.set: unknown key "valeu"');
  });

  it("call observers with old and new values, only on change, and stop when asked", () => {
    const s = intSlider({ max: 5, value: 1 });
    const seen: [unknown, unknown][] = [];
    const stop = s.observe(({ old, new: now }) => seen.push([old, now]));
    s.value = 3;
    s.value = 3;
    s.set({ value: 9 });
    stop();
    s.value = 0;
    expect(seen).toEqual([
      [1, 3],
      [3, 5],
    ]);
  });

  it("dropdown, checkbox, text and button", () => {
    const d = dropdown({
      options: [
        ["gradient descent", "gd"],
        ["Newton", "newton"],
      ] as const,
      value: "newton",
    });
    expect(d.value).toBe("newton");
    expect(d.getState()).toMatchObject({ _options_labels: ["gradient descent", "Newton"], index: 1 });
    const changes: unknown[] = [];
    d.observe(({ new: v }) => changes.push(v));
    d.value = "gd";
    expect(changes).toEqual(["gd"]);
    expect(() => d.set({ value: "adam" })).toThrow('dropdown.set: the value "adam" is not among the options (gradient descent, Newton)');
    expect(() => dropdown({ options: [] })).toThrow("dropdown: expected { options: [...] } with at least one option");
    const c = checkbox({ value: true });
    expect(c.value).toBe(true);
    expect(() => c.set({ value: 1 })).toThrow("checkbox: expected a boolean value, got 1");
    expect(text({ value: "x * x" }).getState()).toMatchObject({ _model_name: "TextModel", value: "x * x", placeholder: "\u200b" });
    const b = button({ description: "step" });
    let clicks = 0;
    b.onClick(() => clicks++);
    b.click();
    expect(clicks).toBe(1);
    expect(b.getState()).toMatchObject({ _model_name: "ButtonModel", description: "step", button_style: "" });
  });

  it("boxes hold references to their children; outputs clear with wait and replace in one step", () => {
    const a = slider();
    const b = checkbox();
    const box = vbox([hbox([a, b])]);
    expect(box.getState().children).toEqual([`IPY_MODEL_${box.value[0]!.modelId}`]);
    expect(() => hbox([1 as never])).toThrow("hbox: expected an array of widgets");
    const out = output();
    out.display("first");
    out.clear({ wait: true });
    expect(out.value).toHaveLength(1);
    out.display("second");
    expect(out.value).toEqual([{ output_type: "display_data", data: { "text/plain": "second" }, metadata: {} }]);
  });

  it("interact runs fn on start and on each change, replacing the result; errors show in the output", () => {
    const x = slider({ min: 0, max: 2, step: 0.25, value: 1 });
    const view = interact((x: number) => (x * x + 0.125).toFixed(6), { x });
    expect(view.out.value).toEqual([{ output_type: "display_data", data: { "text/plain": "1.125000" }, metadata: {} }]);
    x.value = 0.5;
    expect(view.out.value).toEqual([{ output_type: "display_data", data: { "text/plain": "0.375000" }, metadata: {} }]);
    expect(view.getState()).toMatchObject({
      _model_name: "VBoxModel",
      _dom_classes: ["widget-interact"],
      children: [`IPY_MODEL_${x.modelId}`, `IPY_MODEL_${view.out.modelId}`],
    });
    const y = intSlider({ value: 2 });
    const both = interact((b: number, a: number) => `${a}-${b}`, { a: x, b: y });
    expect(both.out.value[0]).toMatchObject({ data: { "text/plain": "0.5-2" } });
    const failing = interact(
      (v: number) => {
        if (v > 1) throw new RangeError(`too big: ${v}`);
        return v;
      },
      { v: y },
    );
    expect(failing.out.value).toEqual([
      { output_type: "error", ename: "RangeError", evalue: "too big: 2", traceback: ["RangeError: too big: 2"] },
    ]);
    expect(() => interact((v: number) => v, { v: 3 as never })).toThrow('interact: the control "v" must be a widget');
    const chatty = interact(
      (v: number) => {
        process.stdout.write(`computing ${v}\n`);
        process.stdout.write("done\n");
        return v + 1;
      },
      { v: y },
    );
    expect(chatty.out.value).toEqual([
      { output_type: "stream", name: "stdout", text: "computing 2\ndone\n" },
      { output_type: "display_data", data: { "text/plain": "3" }, metadata: {} },
    ]);
  });

  it("widgetState holds every live model with its module and version", () => {
    const s = slider({ value: 0.3 });
    const st = widgetState();
    expect(st.version_major).toBe(2);
    expect(st.state[s.modelId]).toMatchObject({
      model_name: "FloatSliderModel",
      model_module: "@jupyter-widgets/controls",
      model_module_version: "2.0.0",
      state: { value: 0.3 },
    });
    const layoutId = String(s.getState().layout).slice("IPY_MODEL_".length);
    expect(st.state[layoutId]).toMatchObject({
      model_name: "LayoutModel",
      model_module: "@jupyter-widgets/base",
      model_module_version: "2.0.0",
    });
    s.close();
    expect(widgetState().state[s.modelId]).toBeUndefined();
  });

  it("live(backprop, f, args) puts the scalar inputs on sliders and re-draws the view for their values", () => {
    const f = (x: never, w: never, b: never) => sum(sigmoid(add(mul(w, x), b)));
    const xs = tensor([1, 2]);
    const view = live(backprop as never, f, [xs, 0.5, -1], { ranges: { b: [-2, 2, 0.5] } });
    const sliders = view.value.slice(0, -1);
    expect(sliders.map((s) => s.getState().description)).toEqual(["w", "b"]);
    expect(sliders[1]!.getState()).toMatchObject({ min: -2, max: 2, step: 0.5, value: -1 });
    expect(sliders[0]!.getState()).toMatchObject({ min: -1.5, max: 2.5, value: 0.5 });
    sliders[0]!.value = 0.75;
    const want = backprop(f as never, xs, 0.75, -1)[JUPYTER_DISPLAY]();
    expect(view.out.value).toEqual([{ output_type: "display_data", data: want, metadata: {} }]);
    expect(() => live(backprop as never, f, [xs, xs, xs])).toThrow("live: none of the inputs (x, w, b) is a scalar");
    expect(() => live(backprop as never, f, [xs, 0.5, -1], { ranges: { x: [0, 1] } })).toThrow(
      "live: ranges given for x, which has no slider (sliders: w, b)",
    );
    // Chosen entries of a vector get sliders too; the other entries stay.
    const withEntries = live(backprop as never, f, [xs, 0.5, -1], { entries: { x: [1] } });
    const entry = withEntries.value[2]!;
    expect(entry.getState()).toMatchObject({ description: "x[1]", value: 2 });
    entry.value = 3;
    expect(withEntries.out.value[0]).toEqual({
      output_type: "display_data",
      data: backprop(f as never, tensor([1, 3]), 0.5, -1)[JUPYTER_DISPLAY](),
      metadata: {},
    });
    expect(() => live(backprop as never, f, [xs, 0.5, -1], { entries: { x: [2] } })).toThrow(
      "live: entry 2 of x does not exist (x has 2 entries, flat indices 0..1)",
    );
    expect(() => live(backprop as never, f, [xs, 0.5, -1], { entries: { w: [0] } })).toThrow(
      "live: entries given for w, which is not a tensor input",
    );
  });

  it("live(gradcheck, f, [x]) re-checks the gradient at the sliders' point, with the options passed on", () => {
    // The formula is right only where x0 = 1 (d(x0² x1)/dx1 = x0², not x0).
    const cube = (x: Tensor) => mul(mul(index(x, 0), index(x, 0)), index(x, 1));
    const formula = (x: Tensor) => stack([mul(mul(2, index(x, 0)), index(x, 1)), index(x, 0)]);
    const view = live(gradcheck as never, cube, [tensor([1, 3])], { entries: { x: [0, 1] }, options: { analytic: formula, name: "cube" } });
    const [x0] = view.value.slice(0, -1);
    const shown = () => (view.out.value[0] as { data: Record<string, unknown> }).data;
    expect(shown()).toEqual(gradcheck(cube, tensor([1, 3]), { analytic: formula, name: "cube" })[JUPYTER_DISPLAY]());
    x0!.value = 2;
    const report = gradcheck(cube, tensor([2, 3]), { analytic: formula, name: "cube" });
    expect(report.ok).toBe(false);
    expect(shown()).toEqual(report[JUPYTER_DISPLAY]());
  });
});
