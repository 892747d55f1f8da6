/** @file `det` primitive: determinant of a square matrix by LU. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { mul } from "../ops/arith.js";
import { det, inv } from "../ops/linalg.js";
import { sum } from "../ops/reduce.js";
import { index, reshape, stack, transpose } from "../ops/shape.js";
import { detKernel } from "../tensor/linalg.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { squareSize } from "./_square.js";

/** Determinant. @example bind(Primitive.Det, [X], NO_PARAMS) */
export const detDef: PrimitiveDef<Primitive.Det> = {
  doc: "determinant",
  impl([x]) {
    const n = squareSize("det", x);
    return Tensor.scalar(detKernel(x._data, n));
  },
  // d det X = det X tr(X^{-1} dX) = <C, dX> with C = det X X^{-T}, the cofactor matrix
  jvp: ([x], [xDot], _params, y) => sum(mul(cofactors(x, y), xDot!)),
  // XBar = yBar C
  vjp: (yBar, [x], y) => [mul(yBar, cofactors(x, y))],
};

/**
 * Largest ‖X‖_F ‖X^{-1}‖_F (a bound on X's condition number) at which the cofactors are taken as
 * det X X^{-T}: their relative error grows like the condition number times 2^-52, so up to here
 * it is below about 1e-10. Beyond it (a singular matrix whose computed det is a rounding error
 * away from 0, say) the inverse is mostly rounding error, and the minors are used.
 */
const INVERSE_MAX_CONDITION = 1e6;

/** ‖A‖_F of the entries. */
function frobenius(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/**
 * The cofactor matrix C of X (C_ij = (-1)^(i+j) det of X without row i and column j), which is
 * det X X^{-T}: by the inverse when X is well conditioned (see INVERSE_MAX_CONDITION), else from
 * the minors, so det has its true gradient and Hessian at singular and nearly singular matrices
 * too (JAX takes the minors at exactly singular ones). Built from ops, so it differentiates; the
 * choice of formula reads the values only.
 *
 * @example cofactors(tensor([[1, 2], [2, 4]]), tensor(0)) // [[4, -2], [-2, 1]]
 */
function cofactors(x: Tensor, y: Tensor): Tensor {
  if (y.item() !== 0) {
    let xInv: Tensor | null = null;
    try {
      xInv = inv(x);
    } catch {
      // A pivot the inverse's factorisation finds zero: the minors below.
    }
    if (xInv !== null && frobenius(x._data) * frobenius(xInv._data) <= INVERSE_MAX_CONDITION) return mul(y, transpose(xInv));
  }
  const n = x.shape[0]!;
  if (n === 1) return wrap(new Float64Array([1]), [1, 1]);
  // Rows are dropped by picking the others (index and stack), not by multiplying with a 0/1
  // selection matrix, whose zeros would meet an infinite or NaN entry as 0 · ∞ = NaN in every
  // minor: with picking, a minor sees only its own entries.
  const withoutRow = (m: Tensor, i: number): Tensor => stack(Array.from({ length: n - 1 }, (_, r) => index(m, r < i ? r : r + 1)));
  const entries: Tensor[] = [];
  for (let i = 0; i < n; i++) {
    const columns = transpose(withoutRow(x, i));
    for (let j = 0; j < n; j++) {
      const minor = det(transpose(withoutRow(columns, j)));
      entries.push((i + j) % 2 === 0 ? minor : mul(-1, minor));
    }
  }
  return reshape(stack(entries), [n, n]);
}
