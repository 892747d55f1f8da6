/** @file Matrix product kernels: tight row-major loops for 1-D/2-D operands (no transposes materialised). */
import { shapeStr } from "./shape.js";
import { Tensor } from "./tensor.js";

/** y = A x for A [m,n] row-major, x [n]: four accumulators per row. */
function matvec(A: Float64Array, x: Float64Array, m: number, n: number): Float64Array {
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const off = i * n;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += A[off + j] * x[j];
      s1 += A[off + j + 1] * x[j + 1];
      s2 += A[off + j + 2] * x[j + 2];
      s3 += A[off + j + 3] * x[j + 3];
    }
    for (; j < n; j++) s0 += A[off + j] * x[j];
    y[i] = s0 + s1 + s2 + s3;
  }
  return y;
}

/** y = v^T B for v [m], B [m,p] row-major: axpy over rows, i.e. B^T v without forming B^T. */
function vecmat(v: Float64Array, B: Float64Array, m: number, p: number): Float64Array {
  const y = new Float64Array(p);
  for (let i = 0; i < m; i++) {
    const c = v[i];
    const off = i * p;
    for (let j = 0; j < p; j++) y[j] += c * B[off + j];
  }
  return y;
}

/** C = A B for A [m,n], B [n,p]: i-k-j order so the inner loop streams rows of B and C. */
function matmat(A: Float64Array, B: Float64Array, m: number, n: number, p: number): Float64Array {
  const C = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    const ci = i * p;
    for (let k = 0; k < n; k++) {
      const c = A[i * n + k];
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
    throw new Error(`matmul: expected 1-D or 2-D operands, got ${shapeStr(a.shape)} @ ${shapeStr(b.shape)}`);
  }
  const inner = a.shape[a.ndim - 1];
  const innerB = b.shape[0];
  if (inner !== innerB) {
    throw new Error(`matmul: inner dimensions differ: ${shapeStr(a.shape)} @ ${shapeStr(b.shape)}`);
  }
  if (a.ndim === 1 && b.ndim === 1) {
    const x = a.data;
    const y = b.data;
    let s = 0;
    for (let i = 0; i < inner; i++) s += x[i] * y[i];
    return Tensor.scalar(s);
  }
  if (a.ndim === 2 && b.ndim === 1) return new Tensor(matvec(a.data, b.data, a.shape[0], inner), [a.shape[0]]);
  if (a.ndim === 1) return new Tensor(vecmat(a.data, b.data, inner, b.shape[1]), [b.shape[1]]);
  return new Tensor(matmat(a.data, b.data, a.shape[0], inner, b.shape[1]), [a.shape[0], b.shape[1]]);
}
