/**
 * @file `live(view, f, args)`: any of the autodiff views (`backprop`, `forwardTable`, `graph`) of a
 * call f(x, w, b) with a slider for each scalar input; moving one re-draws the view in place
 * (issue 12, "autodiff on top"). The kernel's `%interact backprop f(x, w, b)` calls it.
 */
import { paramNames } from "../graph/record.js";
import { Tensor } from "../tensor/tensor.js";
import { slider, type Slider } from "./controls.js";
import { Interactive } from "./interact.js";

/** Options of {@link live}. */
export interface LiveOptions {
  /** [min, max] or [min, max, step] per input name; default: around the value (v ± 2·max(1, |v|), 80 steps). */
  ranges?: Record<string, readonly [number, number] | readonly [number, number, number]>;
  /** Options passed on to the view (e.g. `{ rankdir: "TB" }`). */
  options?: Record<string, unknown>;
}

/** A scalar input: a number, or a tensor with one entry (its shape is kept). */
function scalarOf(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (v instanceof Tensor && v.size === 1) return v.data[0];
  return undefined;
}

/**
 * The view of f(...args) with sliders for its scalar inputs (tensors stay fixed).
 *
 * @example
 * live(backprop, (x, w, b) => sigmoid(add(mul(w, x), b)), [1.5, 0.5, -1]);
 */
export function live(view: (f: never, ...rest: never[]) => unknown, f: (...args: never[]) => unknown, args: readonly unknown[], opts: LiveOptions = {}): Interactive {
  if (typeof view !== "function") throw new Error(`live: expected a view function such as backprop, forwardTable or graph, got ${typeof view}`);
  if (typeof f !== "function") throw new Error(`live: expected the function to differentiate as the second argument, got ${typeof f}`);
  if (!Array.isArray(args)) throw new Error(`live: expected the inputs as an array, e.g. live(backprop, f, [x, w, b]), got ${typeof args}`);
  const names = paramNames(f, args.length);
  const controls: Record<string, Slider> = {};
  for (const [i, a] of args.entries()) {
    const v = scalarOf(a);
    if (v === undefined) continue;
    const given = opts.ranges?.[names[i]!];
    const half = 2 * Math.max(1, Math.abs(v));
    const [min, max, step] = given ? [given[0], given[1], given[2] ?? (given[1] - given[0]) / 80] : [v - half, v + half, (2 * half) / 80];
    controls[names[i]!] = slider({ min, max, step, value: v, description: names[i], readoutFormat: ".3g" });
  }
  if (Object.keys(controls).length === 0) throw new Error(`live: none of the inputs (${names.join(", ")}) is a scalar, so there is nothing to put on a slider`);
  const unknown = Object.keys(opts.ranges ?? {}).filter((k) => !(k in controls));
  if (unknown.length > 0) throw new Error(`live: ranges given for ${unknown.join(", ")}, which ${unknown.length > 1 ? "are not scalar inputs" : "is not a scalar input"} (scalar inputs: ${Object.keys(controls).join(", ")})`);
  const call = (...values: number[]) => {
    let k = 0;
    const now = args.map((a, i) => {
      if (!(names[i]! in controls)) return a;
      const v = values[k++]!;
      return a instanceof Tensor ? new Tensor(new Float64Array([v]), a.shape) : v;
    });
    return (view as (...a: unknown[]) => unknown)(f, ...now, ...(opts.options ? [opts.options] : []));
  };
  // interact passes the sliders' values in the order of `controls`, which is the order of the inputs.
  return new Interactive(call, controls);
}
