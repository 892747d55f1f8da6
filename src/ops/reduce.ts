/** @file Reductions: sum, max (primitives) and mean (built from sum), with `axis` and `keepdims`. */
import { bind } from "../core/trace.js";
import { Primitive } from "../core/primitive.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { normalizeAxes } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { div } from "./arith.js";
import { reshape } from "./shape.js";

/** Axis argument of reductions: one axis, several, or all when omitted. */
export type Axis = number | readonly number[];

function keep(t: Tensor, x: Tensor, axes: readonly number[], keepdims: boolean): Tensor {
  if (!keepdims) return t;
  return reshape(
    t,
    x.shape.map((d, i) => (axes.includes(i) ? 1 : d)),
  );
}

/**
 * Sum over `axis` (all axes by default); `keepdims` keeps reduced axes with length 1.
 * @example sum(tensor([[1, 2], [3, 4]]), 0).toArray() // [4, 6]
 */
export function sum(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  const t = asTensor(x, "sum");
  const axes = normalizeAxes("sum", axis, t.ndim);
  const s = axes.length === 0 ? t : bind(Primitive.ReduceSum, [t], { axes });
  return keep(s, t, axes, keepdims);
}

/**
 * Maximum over `axis` (all axes by default); ties share the derivative equally (as torch.amax
 * and JAX), ties of infinities too, and a slice whose maximum is NaN has NaN derivatives.
 * @example max(tensor([[1, 5], [3, 4]]), 1).toArray() // [5, 4]
 */
export function max(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  const t = asTensor(x, "max");
  const axes = normalizeAxes("max", axis, t.ndim);
  const s = axes.length === 0 ? t : bind(Primitive.ReduceMax, [t], { axes });
  return keep(s, t, axes, keepdims);
}

/**
 * Arithmetic mean over `axis` (all axes by default).
 * @example mean(tensor([1, 2, 3])).item() // 2
 */
export function mean(x: TensorLike, axis?: Axis, keepdims = false): Tensor {
  const t = asTensor(x, "mean");
  const axes = normalizeAxes("mean", axis, t.ndim);
  const count = axes.reduce((p, a) => p * t.shape[a], 1);
  return div(sum(t, axes, keepdims), count);
}
