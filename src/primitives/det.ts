/** @file `det` primitive: determinant of a square matrix by LU. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { mul } from "../ops/arith.js";
import { det, inv, matmul } from "../ops/linalg.js";
import { sum } from "../ops/reduce.js";
import { reshape, stack, transpose } from "../ops/shape.js";
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
 * The cofactor matrix C of X (C_ij = (-1)^(i+j) det of X without row i and column j), which is
 * det X X^{-T}: by the inverse when det X = y is nonzero, else from the minors, so det has its
 * true gradient at singular matrices too (JAX does the same). Built from ops, so it differentiates.
 *
 * @example cofactors(tensor([[1, 2], [2, 4]]), tensor(0)) // [[4, -2], [-2, 1]]
 */
function cofactors(x: Tensor, y: Tensor): Tensor {
  if (y.item() !== 0) return mul(y, transpose(inv(x)));
  const n = x.shape[0]!;
  if (n === 1) return wrap(new Float64Array([1]), [1, 1]);
  // drop(i) X removes row i of X; X drop(j)^T removes column j.
  const drop = (i: number) => {
    const s = new Float64Array((n - 1) * n);
    for (let r = 0; r < n - 1; r++) s[r * n + (r < i ? r : r + 1)] = 1;
    return wrap(s, [n - 1, n]);
  };
  const entries: Tensor[] = [];
  for (let i = 0; i < n; i++) {
    const rows = matmul(drop(i), x);
    for (let j = 0; j < n; j++) {
      const minor = det(matmul(rows, transpose(drop(j))));
      entries.push((i + j) % 2 === 0 ? minor : mul(-1, minor));
    }
  }
  return reshape(stack(entries), [n, n]);
}
