/** @file Broadcasting binary kernel and broadcast/transposed copies, as plain Float64Array loops. */
import { broadcastShapes, broadcastStrides, sameShape, sizeOf, stridesOf, type Shape } from "./shape.js";
import { Tensor, wrap } from "./tensor.js";

/**
 * Copies `a`'s entries into the (numpy-broadcast) shape `shape`.
 * @example broadcastData(tensor([1, 2]), [2, 2]) // Float64Array [1, 2, 1, 2]
 */
export function broadcastData(a: Tensor, shape: Shape): Float64Array {
  const size = sizeOf(shape);
  const out = new Float64Array(size);
  if (a.size === 1) return out.fill(a.first());
  if (size === 0) return out;
  const src = a._data;
  if (sameShape(a.shape, shape)) {
    out.set(src);
    return out;
  }
  return stridedCopy(src, shape, broadcastStrides(a.shape, shape));
}

/**
 * Gathers `src` read with per-axis `strides` (0 on broadcast axes, permuted on transposes) into a
 * contiguous array of shape `shape`: the innermost axis in one tight loop, the outer axes walked
 * with counters (an odometer).
 * @example stridedCopy(new Float64Array([1, 2, 3, 4]), [2, 2], [1, 2]) // [1, 3, 2, 4]
 */
function stridedCopy(src: Float64Array, shape: Shape, strides: readonly number[]): Float64Array {
  const size = sizeOf(shape);
  const out = new Float64Array(size);
  const n = shape.length;
  if (size === 0) return out;
  if (n === 0) {
    out[0] = src[0];
    return out;
  }
  const last = shape[n - 1];
  const lastStride = strides[n - 1];
  const idx = new Array<number>(n).fill(0);
  let ia = 0;
  for (let k = 0; k < size; k += last) {
    for (let j = 0; j < last; j++) out[k + j] = src[ia + j * lastStride];
    for (let d = n - 2; d >= 0; d--) {
      idx[d]++;
      ia += strides[d];
      if (idx[d] < shape[d]) break;
      ia -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

/**
 * Elementwise `f(a, b)` with numpy broadcasting; fast paths for equal shapes and scalars.
 * @example binaryKernel("add", tensor([1, 2]), tensor(1), (x, y) => x + y) // tensor([2., 3.])
 */
export function binaryKernel(op: string, a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  if (a.size === 1 && b.size === 1 && a.ndim === b.ndim) {
    return Tensor.scalar(f(a.first(), b.first()), a.shape);
  }
  if (sameShape(a.shape, b.shape)) {
    const ad = a._data;
    const bd = b._data;
    const n = ad.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(ad[i], bd[i]);
    return wrap(out, a.shape);
  }
  if (b.size === 1 && b.ndim <= a.ndim) {
    const ad = a._data;
    const n = ad.length;
    const c = b.first();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(ad[i], c);
    return wrap(out, a.shape);
  }
  if (a.size === 1 && a.ndim <= b.ndim) {
    const bd = b._data;
    const n = bd.length;
    const c = a.first();
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = f(c, bd[i]);
    return wrap(out, b.shape);
  }
  const ad = a._data;
  const bd = b._data;
  const shape = broadcastShapes(op, a.shape, b.shape);
  const size = sizeOf(shape);
  const out = new Float64Array(size);
  const n = shape.length;
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const idx = new Array<number>(n).fill(0);
  let ia = 0;
  let ib = 0;
  for (let k = 0; k < size; k++) {
    out[k] = f(ad[ia], bd[ib]);
    for (let d = n - 1; d >= 0; d--) {
      idx[d]++;
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < shape[d]) break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
  return wrap(out, shape);
}

/**
 * Entries of `a` with its axes permuted by `perm` (output axis i is input axis perm[i]).
 * @example transposeData(tensor([[1, 2], [3, 4]]), [1, 0]) // Float64Array [1, 3, 2, 4]
 */
export function transposeData(a: Tensor, perm: readonly number[]): Float64Array {
  const src = a._data;
  if (a.ndim === 2 && perm[0] === 1) {
    const out = new Float64Array(src.length);
    const [r, c] = a.shape;
    for (let i = 0; i < r; i++) {
      const off = i * c;
      for (let j = 0; j < c; j++) out[j * r + i] = src[off + j];
    }
    return out;
  }
  const inStrides = stridesOf(a.shape);
  return stridedCopy(
    src,
    perm.map((p) => a.shape[p]),
    perm.map((p) => inStrides[p]),
  );
}
