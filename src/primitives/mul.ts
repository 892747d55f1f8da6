/** @file `mul` primitive: x * y with numpy broadcasting. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add, mul } from "../ops/arith.js";
import { sumToShape } from "../ops/shape.js";
import { binaryKernel } from "../tensor/elementwise.js";

/** The scalar kernel, hoisted so no closure is allocated per call. */
const times = (a: number, b: number) => a * b;

/** Multiplication. @example bind(Primitive.Mul, [x, y], NO_PARAMS) */
export const mulDef: PrimitiveDef<Primitive.Mul> = {
  doc: "x * y elementwise (broadcasting)",
  impl: ([x, y]) => binaryKernel("mul", x, y, times),
  // d(x y) = dx y + x dy; a symbolic-zero tangent drops its term
  jvp: ([x, y], [xDot, yDot]) => (xDot && yDot ? add(mul(xDot, y), mul(x, yDot)) : xDot ? mul(xDot, y) : mul(x, yDot!)),
  // xBar = yBar y, yBar' = yBar x, each summed over its broadcast axes
  vjp: (yBar, [x, y], _out, _params, [wx, wy]) => [
    wx ? sumToShape(mul(yBar, y), x.shape) : null,
    wy ? sumToShape(mul(yBar, x), y.shape) : null,
  ],
};
