/** @file `solve` primitive: x = A^{-1} b for a square A and a vector or matrix b. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { neg, sub } from "../ops/arith.js";
import { matmul, outer, solve } from "../ops/linalg.js";
import { transpose } from "../ops/shape.js";
import { solveKernel } from "../tensor/linalg.js";
import { shapeStr } from "../tensor/shape.js";
import { wrap } from "../tensor/tensor.js";
import { squareSize } from "./_square.js";
import { GradlabError } from "../tensor/errors.js";

/** Linear solve. @example bind(Primitive.Solve, [A, b], NO_PARAMS) */
export const solveDef: PrimitiveDef<Primitive.Solve> = {
  doc: "solve A x = b",
  impl([a, b]) {
    const n = squareSize("solve", a);
    if (b.ndim < 1 || b.ndim > 2 || b.shape[0] !== n) {
      throw new GradlabError(`solve: dimensions differ: ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
    }
    const m = b.ndim === 1 ? 1 : b.shape[1];
    return wrap(solveKernel(a._data, b._data, n, m), b.shape);
  },
  // dx = A^{-1} (db - dA x)
  jvp: ([a], [aDot, bDot], _params, x) => {
    const r = aDot ? (bDot ? sub(bDot, matmul(aDot, x)) : neg(matmul(aDot, x))) : bDot!;
    return solve(a, r);
  },
  // bBar = A^{-T} xBar, ABar = -bBar x^T
  vjp: (xBar, [a], x, _params, [wa, wb]) => {
    const bBar = solve(transpose(a), xBar);
    const aBar = wa ? neg(x.ndim === 1 ? outer(bBar, x) : matmul(bBar, transpose(x))) : null;
    return [aBar, wb ? bBar : null];
  },
};
