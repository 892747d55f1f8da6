/** @file `add` primitive: x + y with numpy broadcasting. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add } from "../ops/arith.js";
import { broadcastTo, sumToShape } from "../ops/shape.js";
import { binaryKernel } from "../tensor/elementwise.js";

/** The scalar kernel, hoisted so no closure is allocated per call. */
const plus = (a: number, b: number) => a + b;

/** Addition. @example bind(Primitive.Add, [x, y], NO_PARAMS) */
export const addDef: PrimitiveDef<Primitive.Add> = {
  doc: "x + y elementwise (broadcasting)",
  impl: ([x, y]) => binaryKernel("add", x, y, plus),
  // d(x + y) = dx + dy (a lone tangent is broadcast to the output shape)
  jvp: (_, [xDot, yDot], _params, out) => (xDot && yDot ? add(xDot, yDot) : broadcastTo((xDot ?? yDot)!, out.shape)),
  // xBar = yBar, yBar' = yBar, each summed over its broadcast axes
  vjp: (yBar, [x, y], _out, _params, [wx, wy]) => [wx ? sumToShape(yBar, x.shape) : null, wy ? sumToShape(yBar, y.shape) : null],
};
