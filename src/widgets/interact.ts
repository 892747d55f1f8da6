/**
 * @file `interact(fn, controls)`, as ipywidgets' interact: the controls above an Output widget
 * holding fn's result; moving a control re-runs fn and replaces the result in place.
 */
import { Box } from "./controls.js";
import { Output, output, type WidgetOutput } from "./output.js";
import { Widget } from "./widget.js";

/** The parameter names of a function from its source, or undefined when they cannot be read (destructuring, defaults). */
function parameterNames(fn: (...args: never[]) => unknown): string[] | undefined {
  const src = Function.prototype.toString.call(fn);
  const m = /^(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (!m) return undefined;
  const names = m[1]!.split(",").map((s) => s.trim()).filter(Boolean);
  return names.every((n) => /^[A-Za-z_$][\w$]*$/.test(n)) ? names : undefined;
}

/** The controls, fn's result below them, and a way to re-run fn. */
export class Interactive extends Box {
  /** The Output widget holding fn's latest result. */
  readonly out: Output;
  private readonly run: () => void;

  constructor(fn: (...args: never[]) => unknown, controls: Record<string, Widget>) {
    if (typeof fn !== "function") throw new Error(`interact: expected a function as the first argument, got ${typeof fn}`);
    if (typeof controls !== "object" || controls === null) throw new Error(`interact: expected controls like { x: slider({ min: 0, max: 1 }) }, got ${String(controls)}`);
    for (const [k, w] of Object.entries(controls)) {
      if (!(w instanceof Widget)) throw new Error(`interact: the control "${k}" must be a widget (e.g. slider({ ... }), dropdown({ options }), checkbox()), got ${typeof w}`);
    }
    const keys = Object.keys(controls);
    const names = parameterNames(fn);
    // Arguments follow fn's parameter names when each names a control, else the controls' order.
    const order = names && names.length > 0 && names.every((n) => keys.includes(n)) ? names : keys;
    const out = output();
    super("VBoxModel", [...keys.map((k) => controls[k]!), out]);
    this.set({ _dom_classes: ["widget-interact"] });
    this.out = out;
    this.run = () => {
      out.clear({ wait: true });
      try {
        const result = (fn as (...a: unknown[]) => unknown)(...order.map((k) => controls[k]!.value));
        if (result === undefined) out.clear();
        else out.display(result);
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        const shown: WidgetOutput = { output_type: "error", ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`] };
        out.append([shown]);
      }
    };
    for (const k of keys) controls[k]!.observe(() => this.run());
    this.run();
  }

  /** Run fn again with the controls' current values. */
  update(): void {
    this.run();
  }
}

/**
 * Controls for fn's parameters and fn's result, updated in place when a control moves. Show it as
 * a cell's value or with `display(...)`.
 *
 * @example
 * interact((x: number) => (x * x + 0.125).toFixed(6), { x: slider({ min: 0, max: 2, step: 0.25, value: 1 }) });
 */
export function interact<A extends unknown[]>(fn: (...args: A) => unknown, controls: Record<string, Widget>): Interactive {
  return new Interactive(fn as (...args: never[]) => unknown, controls);
}
