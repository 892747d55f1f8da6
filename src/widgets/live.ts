/**
 * @file `live(view, f, args)`: any of the autodiff views (`backprop`, `forwardTable`, `graph`) of a
 * call f(x, w, b) with a slider for each scalar input; moving one re-draws the view in place.
 * The kernel's `%interact backprop f(x, w, b)` calls it.
 */
import { paramNames } from "../graph/record.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { slider, type Slider } from "./controls.js";
import { Interactive } from "./interact.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/** Options of {@link live}. */
export interface LiveOptions {
  /** [min, max] or [min, max, step] per slider name ("b", "w[0]"); default: around the value (v ± 2·max(1, |v|), 80 steps). */
  ranges?: Record<string, readonly [number, number] | readonly [number, number, number]>;
  /** Entries of vector inputs to put on sliders too, e.g. `{ w: [0, 2] }` (sliders "w[0]", "w[2]"). */
  entries?: Record<string, readonly number[]>;
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
 * The view of f(...args) with sliders for its scalar inputs and for the chosen entries of vectors
 * (other tensors stay fixed).
 *
 * @example
 * live(backprop, (x, w, b) => sigmoid(add(mul(w, x), b)), [1.5, 0.5, -1]);
 * live(backprop, f, [x, w, b], { entries: { w: [0, 1] } }); // sliders b, w[0], w[1]
 */
export function live(
  view: (f: never, ...rest: never[]) => unknown,
  f: (...args: never[]) => unknown,
  args: readonly unknown[],
  opts: LiveOptions = {},
): Interactive {
  if (typeof view !== "function")
    throw new GradlabError(`live: expected a view function such as backprop, forwardTable or graph, got ${typeof view}`);
  if (typeof f !== "function")
    throw new GradlabError(`live: expected the function to differentiate as the second argument, got ${typeof f}`);
  if (!Array.isArray(args))
    throw new GradlabError(`live: expected the inputs as an array, e.g. live(backprop, f, [x, w, b]), got ${typeof args}`);
  const names = paramNames(f, args.length);
  const controls: Record<string, Slider> = {};
  /** Where each slider's value goes: input i, and for a vector entry its flat index. */
  const targets: { name: string; input: number; entry?: number }[] = [];
  const addSlider = (name: string, v: number, input: number, entry?: number) => {
    const given = opts.ranges?.[name];
    const half = 2 * Math.max(1, Math.abs(v));
    const [min, max, step] = given ? [given[0], given[1], given[2] ?? (given[1] - given[0]) / 80] : [v - half, v + half, (2 * half) / 80];
    controls[name] = slider({ min, max, step, value: v, description: name, readoutFormat: ".3g" });
    targets.push({ name, input, entry });
  };
  for (const [i, a] of args.entries()) {
    const v = scalarOf(a);
    if (v !== undefined) addSlider(names[i]!, v, i);
  }
  for (const [name, picks] of Object.entries(opts.entries ?? {})) {
    const i = names.indexOf(name);
    const a = args[i];
    if (i < 0 || !(a instanceof Tensor))
      throw new GradlabError(
        `live: ${tr("entries given for {name}, which is not a tensor input (inputs: {inputs})", { name, inputs: names.join(", ") })}`,
      );
    for (const k of picks) {
      if (!Number.isInteger(k) || k < 0 || k >= a.size)
        throw new GradlabError(
          `live: ${tr("entry {k} of {name} does not exist ({name} has {n} entries, flat indices 0..{last})", { k, name, n: a.size, last: a.size - 1 })}`,
        );
      addSlider(`${name}[${k}]`, a._data[k]!, i, k);
    }
  }
  if (targets.length === 0)
    throw new GradlabError(
      `live: ${tr(
        "none of the inputs ({inputs}) is a scalar, so there is nothing to put on a slider (pick vector entries with {example})",
        {
          inputs: names.join(", "),
          example: `{ entries: { ${names[0]}: [0] } }`,
        },
      )}`,
    );
  const unknown = Object.keys(opts.ranges ?? {}).filter((k) => !(k in controls));
  if (unknown.length > 0)
    throw new GradlabError(
      `live: ranges given for ${unknown.join(", ")}, which ${unknown.length > 1 ? "have" : "has"} no slider (sliders: ${Object.keys(controls).join(", ")})`,
    );
  const call = (...values: number[]) => {
    const now: unknown[] = [...args];
    targets.forEach((t, k) => {
      const a = now[t.input];
      if (t.entry === undefined) {
        now[t.input] = a instanceof Tensor ? wrap(new Float64Array([values[k]!]), a.shape) : values[k];
      } else {
        const data = Float64Array.from((a as Tensor).data);
        data[t.entry] = values[k]!;
        now[t.input] = wrap(data, (a as Tensor).shape);
      }
    });
    return (view as (...a: unknown[]) => unknown)(f, ...now, ...(opts.options ? [opts.options] : []));
  };
  // interact passes the sliders' values in the order of `controls`, which is the order of the inputs.
  return new Interactive(call, controls);
}
