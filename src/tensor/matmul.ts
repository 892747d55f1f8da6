/**
 * @file Matrix product kernels: tight row-major loops for 1-D/2-D operands (no transposes
 * materialised), and the switch to their WebAssembly SIMD versions (simd.ts) above a size.
 */
import { shapeStr } from "./shape.js";
import { simdFor } from "./simd.js";
import { Tensor, wrap } from "./tensor.js";
import { GradlabError } from "./errors.js";
import { tr } from "../i18n/index.js";

/**
 * Multiply-adds from which the SIMD kernels beat the plain loops, copies in and out included:
 * the crossover of the two per call on n x n operands (timed with `setSimdMode("off")` against
 * `"always"`), at n = 64 for a matrix times a vector (64²) and n = 16 for a matrix product (16³).
 * The figures are in docs/performance.md.
 */
const MATVEC_SIMD_MIN = 4096;
const MATMAT_SIMD_MIN = 4096;

/** y = A x for A [m,n] row-major: four rows per sweep share each load of x[j]. */
function matvec(A: Float64Array, x: Float64Array, m: number, n: number): Float64Array {
  const y = new Float64Array(m);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < n; j++) {
      const xj = x[j];
      s0 += A[r0 + j] * xj;
      s1 += A[r1 + j] * xj;
      s2 += A[r2 + j] * xj;
      s3 += A[r3 + j] * xj;
    }
    y[i] = s0;
    y[i + 1] = s1;
    y[i + 2] = s2;
    y[i + 3] = s3;
  }
  for (; i < m; i++) {
    const off = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += A[off + j] * x[j];
    y[i] = s;
  }
  return y;
}

/**
 * y = B^T v for v [m], B [m,p] row-major, without forming B^T: axpy over rows, four rows per
 * sweep so each y[j] is loaded and stored once per four rows.
 */
function vecmat(v: Float64Array, B: Float64Array, m: number, p: number): Float64Array {
  const y = new Float64Array(p);
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = v[i];
    const c1 = v[i + 1];
    const c2 = v[i + 2];
    const c3 = v[i + 3];
    const r0 = i * p;
    const r1 = r0 + p;
    const r2 = r1 + p;
    const r3 = r2 + p;
    for (let j = 0; j < p; j++) y[j] += c0 * B[r0 + j] + c1 * B[r1 + j] + c2 * B[r2 + j] + c3 * B[r3 + j];
  }
  for (; i < m; i++) {
    const c = v[i];
    const off = i * p;
    for (let j = 0; j < p; j++) y[j] += c * B[off + j];
  }
  return y;
}

/** C = A B for A [m,n], B [n,p]: i-k-j order, four k per sweep, streaming rows of B and C. */
function matmat(A: Float64Array, B: Float64Array, m: number, n: number, p: number): Float64Array {
  const C = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    const ci = i * p;
    const ai = i * n;
    let k = 0;
    for (; k + 3 < n; k += 4) {
      const c0 = A[ai + k];
      const c1 = A[ai + k + 1];
      const c2 = A[ai + k + 2];
      const c3 = A[ai + k + 3];
      const b0 = k * p;
      const b1 = b0 + p;
      const b2 = b1 + p;
      const b3 = b2 + p;
      for (let j = 0; j < p; j++) C[ci + j] += c0 * B[b0 + j] + c1 * B[b1 + j] + c2 * B[b2 + j] + c3 * B[b3 + j];
    }
    for (; k < n; k++) {
      const c = A[ai + k];
      const bk = k * p;
      for (let j = 0; j < p; j++) C[ci + j] += c * B[bk + j];
    }
  }
  return C;
}

/**
 * numpy `matmul` for 1-D and 2-D operands: vector·vector -> scalar, matrix·vector,
 * vector·matrix, matrix·matrix. Errors name both shapes.
 * @example matmulKernel(tensor([[1, 2]]), tensor([3, 4])) // tensor([11.])
 */
export function matmulKernel(a: Tensor, b: Tensor): Tensor {
  if (a.ndim < 1 || a.ndim > 2 || b.ndim < 1 || b.ndim > 2) {
    throw new GradlabError(`matmul: ${tr("expected 1-D or 2-D operands, got {a} @ {b}", { a: shapeStr(a.shape), b: shapeStr(b.shape) })}`);
  }
  const inner = a.shape[a.ndim - 1];
  const innerB = b.shape[0];
  if (inner !== innerB) {
    throw new GradlabError(`matmul: ${tr("inner dimensions differ: {a} @ {b}", { a: shapeStr(a.shape), b: shapeStr(b.shape) })}`);
  }
  if (a.ndim === 1 && b.ndim === 1) {
    const x = a._data;
    const y = b._data;
    let s = 0;
    for (let i = 0; i < inner; i++) s += x[i] * y[i];
    return Tensor.scalar(s);
  }
  if (a.ndim === 2 && b.ndim === 1) {
    const [m, n] = a.shape;
    const y = simdFor(m * n, MATVEC_SIMD_MIN)?.matvec(a._data, b._data, m, n) ?? matvec(a._data, b._data, m, n);
    return wrap(y, [m]);
  }
  if (a.ndim === 1) {
    const [m, p] = b.shape;
    const y = simdFor(m * p, MATVEC_SIMD_MIN)?.vecmat(a._data, b._data, m, p) ?? vecmat(a._data, b._data, m, p);
    return wrap(y, [p]);
  }
  const [m, p] = [a.shape[0], b.shape[1]];
  const c = simdFor(m * inner * p, MATMAT_SIMD_MIN)?.matmat(a._data, b._data, m, inner, p) ?? matmat(a._data, b._data, m, inner, p);
  return wrap(c, [m, p]);
}

/**
 * Forward mode's product with a constant matrix, primal and tangent together: [M u, M w] when
 * `m` is the 2-D left operand, [u M, w M] when it is the right one (u, w 1-D). One sweep over M
 * instead of two (the HVP of sum(softplus(A x)) reads A for A x and A xDot, then for rᵀ A and
 * ṙᵀ A). Returns undefined when the SIMD kernels are not in use for this size (the caller then
 * computes the two products apart).
 * @example matmulPairKernel(a, x, xDot, "left") // [A x, A xDot] or undefined
 */
export function matmulPairKernel(m: Tensor, u: Tensor, w: Tensor, side: "left" | "right"): [Tensor, Tensor] | undefined {
  if (m.ndim !== 2 || u.ndim !== 1 || w.ndim !== 1) return undefined;
  const [rows, cols] = m.shape;
  const inner = side === "left" ? cols : rows;
  if (u.size !== inner || w.size !== inner) return undefined; // matmulKernel names the mismatch
  const fast = simdFor(rows * cols, MATVEC_SIMD_MIN);
  const pair =
    side === "left" ? fast?.matvec2(m._data, u._data, w._data, rows, cols) : fast?.vecmat2(u._data, w._data, m._data, rows, cols);
  if (pair === undefined) return undefined;
  const shape = [side === "left" ? rows : cols];
  return [wrap(pair[0], shape), wrap(pair[1], shape)];
}
