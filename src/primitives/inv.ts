/** @file `inv` primitive: matrix inverse (reuses a cached Cholesky factor of the same matrix). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { neg } from "../ops/arith.js";
import { matmul } from "../ops/linalg.js";
import { transpose } from "../ops/shape.js";
import { inverseKernel } from "../tensor/linalg.js";
import { wrap } from "../tensor/tensor.js";
import { squareSize } from "./_square.js";

/** Inverse. @example bind(Primitive.Inv, [X], NO_PARAMS) */
export const invDef: PrimitiveDef<Primitive.Inv> = {
  doc: "matrix inverse",
  impl([x]) {
    const n = squareSize("inv", x);
    return wrap(inverseKernel(x._data, n), x.shape);
  },
  // d(X^{-1}) = -X^{-1} dX X^{-1}
  jvp: (_, [xDot], _params, y) => neg(matmul(matmul(y, xDot!), y)),
  // XBar = -Y^T YBar Y^T with Y = X^{-1}
  vjp: (yBar, _x, y) => {
    const yt = transpose(y);
    return [neg(matmul(matmul(yt, yBar), yt))];
  },
};
