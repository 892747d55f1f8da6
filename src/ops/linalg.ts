/** @file Linear algebra ops: matmul dot outer diag trace inv solve det logdet cholesky norm. */
import { bind } from "../core/trace.js";
import { NO_PARAMS, Primitive } from "../core/primitive.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { shapeStr } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { mul } from "./arith.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";
import { sqrt } from "./unary.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/**
 * Matrix product for 1-D and 2-D operands (numpy `matmul`).
 * @example matmul(tensor([[1, 2], [3, 4]]), tensor([1, 1])).toArray() // [3, 7]
 */
export function matmul(a: TensorLike, b: TensorLike): Tensor {
  return bind(Primitive.MatMul, [asTensor(a, "matmul"), asTensor(b, "matmul")], NO_PARAMS);
}

/**
 * Inner product of two vectors (for 2-D operands: the matrix product).
 * @example dot(tensor([1, 2]), tensor([3, 4])).item() // 11
 */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  return matmul(a, b);
}

/**
 * Outer product a b^T of two vectors.
 * @example outer(tensor([1, 2]), tensor([3, 4])).toArray() // [[3, 4], [6, 8]]
 */
export function outer(a: TensorLike, b: TensorLike): Tensor {
  const x = asTensor(a, "outer");
  const y = asTensor(b, "outer");
  if (x.ndim !== 1 || y.ndim !== 1) {
    throw new GradlabError(`outer: ${tr("expected two 1-D vectors, got {a} and {b}", { a: shapeStr(x.shape), b: shapeStr(y.shape) })}`);
  }
  return mul(reshape(x, [x.size, 1]), reshape(y, [1, y.size]));
}

/**
 * Diagonal matrix from a vector, or the diagonal of a square matrix.
 * @example diag(tensor([1, 2])).toArray() // [[1, 0], [0, 2]]
 */
export function diag(x: TensorLike): Tensor {
  return bind(Primitive.Diag, [asTensor(x, "diag")], NO_PARAMS);
}

/**
 * Sum of the diagonal of a square matrix.
 * @example trace(eye(3)).item() // 3
 */
export function trace(x: TensorLike): Tensor {
  const t = asTensor(x, "trace");
  if (t.ndim !== 2 || t.shape[0] !== t.shape[1])
    throw new GradlabError(`trace: ${tr("expected a square matrix, got {shape}", { shape: shapeStr(t.shape) })}`);
  return sum(diag(t));
}

/**
 * Matrix inverse (LU; reuses a Cholesky factor already computed for the same matrix). A singular
 * matrix is an error naming the column without a pivot, as in numpy and torch.
 * @example inv(tensor([[2, 0], [0, 4]])).toArray() // [[0.5, 0], [0, 0.25]]
 */
export function inv(x: TensorLike): Tensor {
  return bind(Primitive.Inv, [asTensor(x, "inv")], NO_PARAMS);
}

/**
 * Solves A x = b for a square A and a vector or matrix b; a singular A is an error.
 * @example solve(tensor([[2, 0], [0, 4]]), tensor([2, 4])).toArray() // [1, 1]
 */
export function solve(a: TensorLike, b: TensorLike): Tensor {
  return bind(Primitive.Solve, [asTensor(a, "solve"), asTensor(b, "solve")], NO_PARAMS);
}

/**
 * Determinant of a square matrix (LU).
 * @example det(tensor([[1, 2], [3, 4]])).item() // -2
 */
export function det(x: TensorLike): Tensor {
  return bind(Primitive.Det, [asTensor(x, "det")], NO_PARAMS);
}

/**
 * ln det X of a symmetric positive definite X, by Cholesky; throws
 * `logdet: matrix is not positive definite` otherwise. Its gradient is X^{-1} (seminar item 2).
 * @example logdet(tensor([[2, 0], [0, 3]])).item() // Math.log(6)
 */
export function logdet(x: TensorLike): Tensor {
  return bind(Primitive.LogDet, [asTensor(x, "logdet")], NO_PARAMS);
}

/**
 * Lower-triangular L with L L^T = X for a symmetric positive definite X.
 * @example cholesky(tensor([[4, 2], [2, 3]])).toArray() // [[2, 0], [1, Math.SQRT2]]
 */
export function cholesky(x: TensorLike): Tensor {
  return bind(Primitive.Cholesky, [asTensor(x, "cholesky")], NO_PARAMS);
}

/**
 * Euclidean 2-norm of all entries (Frobenius norm for a matrix), sqrt(sum x^2). At x = 0 it has
 * no derivative; there gradlab gives the subgradient 0 (as torch) and 0 at every higher order
 * (torch's second derivative there is NaN), so a one-entry norm agrees with `abs` at all orders.
 * The sum of squares is not scaled, as in torch and numpy: it overflows for entries above about
 * 1e154, and below about 1e-154 it loses digits (every entry below 1e-162: it is 0, and so is the norm).
 * @example norm(tensor([3, 4])).item() // 5
 */
export function norm(x: TensorLike): Tensor {
  const t = asTensor(x, "norm");
  const s = sum(mul(t, t));
  // sqrt's derivative 1 / (2 sqrt s) is infinite at s = 0 and would meet d s = 2 x dx = 0 as
  // ∞ · 0 = NaN; where s = 0 the norm is formed as 0 · s instead: value 0, derivatives 0.
  return s.item() === 0 ? mul(s, 0) : sqrt(s);
}
