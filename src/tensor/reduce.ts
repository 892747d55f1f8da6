/** @file Reduction kernels (sum, max over sorted axes) on Float64Arrays. */
import { sizeOf, stridesOf, type Shape } from "./shape.js";
import { Tensor, wrap } from "./tensor.js";

/**
 * Shape left after removing the (sorted, unique) `axes`.
 * @example reducedShape([2, 3, 4], [1]) // [2, 4]
 */
function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/** Walks `a` and combines each entry into its output slot with `combine`. */
function reduceInto(a: Tensor, axes: readonly number[], out: Float64Array, combine: (acc: number, v: number) => number): void {
  const shape = a.shape;
  const n = shape.length;
  const outShape = reducedShape(shape, axes);
  const os = stridesOf(outShape);
  // Stride into `out` of each input axis (0 for reduced axes).
  const st = new Array<number>(n).fill(0);
  for (let d = 0, k = 0; d < n; d++) if (!axes.includes(d)) st[d] = os[k++];
  const idx = new Array<number>(n).fill(0);
  const src = a._data;
  let io = 0;
  for (let k = 0; k < src.length; k++) {
    out[io] = combine(out[io], src[k]);
    for (let d = n - 1; d >= 0; d--) {
      idx[d]++;
      io += st[d];
      if (idx[d] < shape[d]) break;
      io -= st[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/**
 * Sums `a` over the sorted, unique `axes` (removed from the shape).
 * @example reduceSumKernel(tensor([[1, 2], [3, 4]]), [0]) // tensor([4., 6.])
 */
export function reduceSumKernel(a: Tensor, axes: readonly number[]): Tensor {
  const outShape = reducedShape(a.shape, axes);
  if (a.size === 1) return Tensor.scalar(a.first(), outShape);
  const src = a._data;
  if (axes.length === a.ndim) {
    let s = 0;
    for (let i = 0; i < src.length; i++) s += src[i];
    return Tensor.scalar(s, outShape);
  }
  const out = new Float64Array(sizeOf(outShape));
  if (axes.length === 1 && axes[0] === a.ndim - 1) {
    // Contiguous rows: one tight inner loop per output entry.
    const m = a.shape[a.ndim - 1];
    for (let r = 0; r < out.length; r++) {
      let s = 0;
      const off = r * m;
      for (let j = 0; j < m; j++) s += src[off + j];
      out[r] = s;
    }
  } else {
    reduceInto(a, axes, out, (acc, v) => acc + v);
  }
  return wrap(out, outShape);
}

/**
 * Maximum of `a` over the sorted, unique `axes` (NaN propagates, like numpy).
 * @example reduceMaxKernel(tensor([[1, 5], [3, 4]]), [1]) // tensor([5., 4.])
 */
export function reduceMaxKernel(a: Tensor, axes: readonly number[]): Tensor {
  const outShape = reducedShape(a.shape, axes);
  const out = new Float64Array(sizeOf(outShape)).fill(-Infinity);
  reduceInto(a, axes, out, (acc, v) => (v > acc || Number.isNaN(v) ? v : acc));
  return wrap(out, outShape);
}
