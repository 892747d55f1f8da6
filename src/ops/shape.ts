/** @file Shape ops: reshape, transpose, broadcastTo, and `sumToShape` (undoing a broadcast in VJP rules). */
import { bind } from "../core/trace.js";
import { NO_PARAMS, Primitive } from "../core/primitive.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { checkShape, sameShape, shapeStr, type Shape } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/**
 * The same entries viewed with a new shape; one entry of `shape` may be -1 (inferred).
 * @example reshape(tensor([1, 2, 3, 4]), [2, -1]).shape // [2, 2]
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x, "reshape");
  if (!Array.isArray(shape)) throw new GradlabError(`reshape: expected a shape array, got ${String(shape)}`);
  const free = shape.indexOf(-1);
  let s = shape;
  if (free >= 0) {
    const known = shape.reduce((p, d, i) => (i === free ? p : p * d), 1);
    if (shape.lastIndexOf(-1) !== free || known === 0 || t.size % known !== 0) {
      throw new GradlabError(`reshape: ${tr("cannot reshape {from} into {to}", { from: shapeStr(t.shape), to: shapeStr(shape) })}`);
    }
    s = shape.map((d, i) => (i === free ? t.size / known : d));
  }
  s = checkShape("reshape", s);
  if (sameShape(s, t.shape)) return t;
  return bind(Primitive.Reshape, [t], { shape: s });
}

/**
 * Permutes axes (default: reverses them, so a matrix is transposed).
 * @example transpose(tensor([[1, 2]])).shape // [2, 1]
 */
export function transpose(x: TensorLike, axes?: readonly number[]): Tensor {
  const t = asTensor(x, "transpose");
  const perm = axes ?? t.shape.map((_, i) => t.ndim - 1 - i);
  return bind(Primitive.Transpose, [t], { perm: [...perm] });
}

/**
 * Broadcasts `x` to `shape` by numpy rules (a copy).
 * @example broadcastTo(tensor([1, 2]), [2, 2]).toArray() // [[1, 2], [1, 2]]
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor(x, "broadcastTo");
  const s = checkShape("broadcastTo", shape);
  if (sameShape(s, t.shape)) return t;
  return bind(Primitive.BroadcastTo, [t], { shape: s });
}

/**
 * Sums a broadcast result back down to `shape` (the transpose of broadcasting): used by VJP
 * rules of broadcasting ops so each cotangent has its input's shape.
 * @example sumToShape(ones([3, 2]), [2]).toArray() // [3, 3]
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length > 0 ? bind(Primitive.ReduceSum, [g], { axes }) : g;
  return sameShape(s.shape, shape) ? s : bind(Primitive.Reshape, [s], { shape });
}

/**
 * Stacks equally shaped tensors along a new leading axis.
 * @example stack([tensor([1, 2]), tensor([3, 4])]).shape // [2, 2]
 */
export function stack(xs: readonly TensorLike[]): Tensor {
  if (!Array.isArray(xs)) throw new GradlabError(`stack: expected an array of tensors, got ${typeof xs}`);
  return bind(
    Primitive.Stack,
    xs.map((x) => asTensor(x, "stack")),
    NO_PARAMS,
  );
}

/**
 * The slice `x[i]` along the leading axis (negative i counts from the end).
 * @example index(tensor([[1, 2], [3, 4]]), 1).toArray() // [3, 4]
 */
export function index(x: TensorLike, i: number): Tensor {
  const t = asTensor(x, "index");
  // Checked here, before a negative i is counted from the end, so the error quotes the i given.
  if (t.ndim === 0) throw new GradlabError(`index: cannot index a scalar (shape []), got index ${i}`);
  const n = t.shape[0];
  if (!Number.isInteger(i) || i < -n || i >= n) {
    const negative = n === 0 ? "the axis is empty" : `or from -${n} to -1, counting from the end`;
    throw new GradlabError(`index: expected an index in [0, ${n}) for shape ${shapeStr(t.shape)}, got ${i} (${negative})`);
  }
  return bind(Primitive.Index, [t], { index: i < 0 ? i + n : i });
}
