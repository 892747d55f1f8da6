/**
 * @file `logdet` primitive: ln det X of a symmetric positive definite X by Cholesky (seminar
 * item 2). The factor is cached by storage, so the gradient's X^{-1} costs no second factorisation.
 */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { mul } from "../ops/arith.js";
import { inv } from "../ops/linalg.js";
import { sum } from "../ops/reduce.js";
import { choleskyFactor } from "../tensor/linalg.js";
import { Tensor } from "../tensor/tensor.js";
import { squareSize } from "./_square.js";
import { GradlabError } from "../tensor/errors.js";

/** Relative tolerance of the symmetry check. */
const SYMMETRY_RTOL = 1e-8;

/** Throws unless X is symmetric to {@link SYMMETRY_RTOL}; returns whether it is exactly symmetric. */
function checkSymmetric(a: Float64Array, n: number): boolean {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  let exact = true;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const d = Math.abs(a[i * n + j] - a[j * n + i]);
      if (d === 0) continue;
      exact = false;
      if (d > SYMMETRY_RTOL * scale) {
        throw new GradlabError(
          `logdet: expected a symmetric matrix, got X[${i},${j}] = ${a[i * n + j]} but X[${j},${i}] = ${a[j * n + i]}`,
        );
      }
    }
  }
  return exact;
}

/** Log-determinant. @example bind(Primitive.LogDet, [X], NO_PARAMS) */
export const logdetDef: PrimitiveDef<Primitive.LogDet> = {
  doc: "log-determinant of an SPD matrix",
  impl([x]) {
    const n = squareSize("logdet", x);
    const L = choleskyFactor(x._data, n, checkSymmetric(x._data, n));
    if (L === null) throw new GradlabError("logdet: matrix is not positive definite");
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]);
    return Tensor.scalar(2 * s);
  },
  // d ln det X = tr(X^{-1} dX) = <X^{-1}, dX> (X symmetric)
  jvp: ([x], [xDot]) => sum(mul(inv(x), xDot!)),
  // XBar = yBar X^{-1} (= X^{-T} for symmetric X); inv reuses the cached Cholesky factor
  vjp: (yBar, [x]) => [mul(yBar, inv(x))],
};
