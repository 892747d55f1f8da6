/** @file `pow` primitive: x ** y with numpy broadcasting. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add, mul, pow, sub } from "../ops/arith.js";
import { sumToShape } from "../ops/shape.js";
import { log } from "../ops/unary.js";
import { binaryKernel } from "../tensor/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";

/** ∂(x^y)/∂x = y x^{y-1}. */
const dBase = (x: Tensor, y: Tensor): Tensor => mul(y, pow(x, sub(y, 1)));
/** ∂(x^y)/∂y = ln(x) x^y (only formed when the exponent is being differentiated). */
const dExponent = (x: Tensor, out: Tensor): Tensor => mul(log(x), out);

/** The scalar kernel, hoisted so no closure is allocated per call. */
const power = (a: number, b: number) => a ** b;

/** Power. @example bind(Primitive.Pow, [x, y], NO_PARAMS) */
export const powDef: PrimitiveDef<Primitive.Pow> = {
  doc: "x ** y elementwise (broadcasting)",
  impl: ([x, y]) => binaryKernel("pow", x, y, power),
  // d(x^y) = y x^{y-1} dx + ln(x) x^y dy
  jvp: ([x, y], [xDot, yDot], _params, out) => {
    const tx = xDot ? mul(xDot, dBase(x, y)) : null;
    const ty = yDot ? mul(yDot, dExponent(x, out)) : null;
    return tx && ty ? add(tx, ty) : (tx ?? ty);
  },
  // xBar = yBar y x^{y-1}, yBar' = yBar ln(x) x^y, each summed over its broadcast axes
  vjp: (yBar, [x, y], out, _params, [wx, wy]) => [
    wx ? sumToShape(mul(yBar, dBase(x, y)), x.shape) : null,
    wy ? sumToShape(mul(yBar, dExponent(x, out)), y.shape) : null,
  ],
};
