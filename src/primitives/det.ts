/** @file `det` primitive: determinant of a square matrix by LU. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { mul } from "../ops/arith.js";
import { inv } from "../ops/linalg.js";
import { sum } from "../ops/reduce.js";
import { transpose } from "../ops/shape.js";
import { detKernel } from "../tensor/linalg.js";
import { Tensor } from "../tensor/tensor.js";
import { squareSize } from "./_square.js";

/** Determinant. @example bind(Primitive.Det, [X], NO_PARAMS) */
export const detDef: PrimitiveDef<Primitive.Det> = {
  doc: "determinant",
  impl([x]) {
    const n = squareSize("det", x);
    return Tensor.scalar(detKernel(x.data, n));
  },
  // d det X = det X tr(X^{-1} dX) = det X <X^{-T}, dX>
  jvp: ([x], [xDot], _params, y) => mul(y, sum(mul(transpose(inv(x)), xDot!))),
  // XBar = yBar det X X^{-T}
  vjp: (yBar, [x], y) => [mul(mul(yBar, y), transpose(inv(x)))],
};
