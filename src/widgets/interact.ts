/**
 * @file `interact(fn, controls)`, as ipywidgets' interact: the controls above an Output widget
 * holding fn's result; moving a control re-runs fn and replaces the result in place.
 */
import { Box } from "./controls.js";
import { bundleOf, Output, output, type WidgetOutput } from "./output.js";
import { Widget } from "./widget.js";
import { GradlabError } from "../tensor/errors.js";

/** The parameter names of a function from its source, or undefined when they cannot be read (destructuring, defaults). */
function parameterNames(fn: (...args: never[]) => unknown): string[] | undefined {
  const src = Function.prototype.toString.call(fn);
  const m = /^(?:async\s*)?(?:function\b[^(]*)?\(([^)]*)\)/.exec(src) ?? /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
  if (!m) return undefined;
  const names = m[1]!
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return names.every((n) => /^[A-Za-z_$][\w$]*$/.test(n)) ? names : undefined;
}

/** Collect what is written to stdout and stderr until `stop()`, as stream outputs (consecutive writes to one stream merged). */
function capturePrints(): { outputs: WidgetOutput[]; stop: () => void } {
  const outputs: WidgetOutput[] = [];
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write };
  for (const name of ["stdout", "stderr"] as const) {
    process[name].write = ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const last = outputs.at(-1);
      if (last?.output_type === "stream" && last.name === name) last.text += text;
      else outputs.push({ output_type: "stream", name, text });
      const done = typeof enc === "function" ? enc : cb;
      if (typeof done === "function") (done as () => void)();
      return true;
    }) as typeof process.stdout.write;
  }
  return {
    outputs,
    stop: () => {
      process.stdout.write = saved.stdout;
      process.stderr.write = saved.stderr;
    },
  };
}

/** The controls, fn's result below them, and a way to re-run fn. */
export class Interactive extends Box {
  /** The Output widget holding fn's latest result. */
  readonly out: Output;
  private readonly run: () => void;

  constructor(fn: (...args: never[]) => unknown, controls: Record<string, Widget>) {
    if (typeof fn !== "function") throw new GradlabError(`interact: expected a function as the first argument, got ${typeof fn}`);
    if (typeof controls !== "object" || controls === null)
      throw new GradlabError(`interact: expected controls like { x: slider({ min: 0, max: 1 }) }, got ${String(controls)}`);
    for (const [k, w] of Object.entries(controls)) {
      if (!(w instanceof Widget))
        throw new GradlabError(
          `interact: the control "${k}" must be a widget (e.g. slider({ ... }), dropdown({ options }), checkbox()), got ${typeof w}`,
        );
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
      // What fn prints goes into the output too, above its result (ipywidgets runs fn inside `with out:`).
      const printed = capturePrints();
      let shown: WidgetOutput[];
      try {
        const result = (fn as (...a: unknown[]) => unknown)(...order.map((k) => controls[k]!.value));
        shown = result === undefined ? [] : [{ output_type: "display_data", data: bundleOf(result), metadata: {} }];
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        shown = [{ output_type: "error", ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`] }];
      } finally {
        printed.stop();
      }
      out.append([...printed.outputs, ...shown]);
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
