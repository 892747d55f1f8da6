/** @file `div` primitive: x / y with numpy broadcasting. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { div, mul, neg, sub } from "../ops/arith.js";
import { sumToShape } from "../ops/shape.js";
import { binaryKernel } from "../tensor/elementwise.js";

/** The scalar kernel, hoisted so no closure is allocated per call. */
const over = (a: number, b: number) => a / b;

/** Division. @example bind(Primitive.Div, [x, y], NO_PARAMS) */
export const divDef: PrimitiveDef<Primitive.Div> = {
  doc: "x / y elementwise (broadcasting)",
  impl: ([x, y]) => binaryKernel("div", x, y, over),
  // d(x / y) = dx / y - (x / y) dy / y
  jvp: ([, y], [xDot, yDot], _params, out) => {
    if (!yDot) return div(xDot!, y);
    const t = div(mul(out, yDot), y);
    return xDot ? sub(div(xDot, y), t) : neg(t);
  },
  // xBar = yBar / y, yBar' = -yBar (x / y) / y, each summed over its broadcast axes
  vjp: (yBar, [x, y], out, _params, [wx, wy]) => [
    wx ? sumToShape(div(yBar, y), x.shape) : null,
    wy ? sumToShape(neg(div(mul(yBar, out), y)), y.shape) : null,
  ],
};
