/** @file `sub` primitive: x - y with numpy broadcasting. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { neg, sub } from "../ops/arith.js";
import { broadcastTo, sumToShape } from "../ops/shape.js";
import { binaryKernel } from "../tensor/elementwise.js";

/** The scalar kernel, hoisted so no closure is allocated per call. */
const minus = (a: number, b: number) => a - b;

/** Subtraction. @example bind(Primitive.Sub, [x, y], NO_PARAMS) */
export const subDef: PrimitiveDef<Primitive.Sub> = {
  doc: "x - y elementwise (broadcasting)",
  impl: ([x, y]) => binaryKernel("sub", x, y, minus),
  // d(x - y) = dx - dy
  jvp: (_, [xDot, yDot], _params, out) =>
    xDot && yDot ? sub(xDot, yDot) : xDot ? broadcastTo(xDot, out.shape) : broadcastTo(neg(yDot!), out.shape),
  // xBar = yBar, yBar' = -yBar, each summed over its broadcast axes
  vjp: (yBar, [x, y], _out, _params, [wx, wy]) => [wx ? sumToShape(yBar, x.shape) : null, wy ? neg(sumToShape(yBar, y.shape)) : null],
};
