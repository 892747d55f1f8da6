/** @file `pow` primitive: x ** y with numpy broadcasting (IEEE 754 / C `pow` at special values). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add, mul, pow, sub } from "../ops/arith.js";
import { sumToShape } from "../ops/shape.js";
import { log } from "../ops/unary.js";
import { binaryKernel } from "../tensor/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { anyNonzero, valueMask } from "../tensor/mask.js";

/**
 * ∂(x^y)/∂x = y x^{y-1}. Where y = 0 the coefficient y makes it 0, but x^{-1} is infinite at
 * x = ±0 (NaN at x = NaN) and 0 · ∞ = NaN; there the power is formed as x^y = 1 instead, so the
 * term is 0 · 1 = 0 (torch and JAX give 0 too). The rule is differentiated again by the same
 * rule, so the k-th derivative of x^n at 0 is n!·[k = n]: each step lowers the exponent by one
 * until it is 0, and from there every term is 0.
 */
function dBase(x: Tensor, y: Tensor): Tensor {
  // 1 where x^{y-1} would multiply y = 0 by a non-finite number (there y - 1 + 1 = 0 = y), else
  // -0, which leaves every entry as it was when added (+0 would turn a -0 into +0).
  const zeroTerm = valueMask("pow", x, y, (a, b) => (b === 0 && (a === 0 || Number.isNaN(a)) ? 1 : -0));
  const lowered = sub(y, 1);
  return mul(y, pow(x, anyNonzero(zeroTerm) ? add(lowered, zeroTerm) : lowered));
}

/**
 * ∂(x^y)/∂y = ln(x) x^y (only formed when the exponent is being differentiated). At x = ±0 with
 * y ≥ 0 it is 0, as in torch (0^y is 0 for every y > 0, so no change of y moves it); ln(0) · 0
 * would be -∞ · 0 = NaN, so there the logarithm is taken of 1 instead of x. A negative base
 * gives NaN (ln of a negative number), as in torch and JAX.
 */
function dExponent(x: Tensor, y: Tensor, out: Tensor): Tensor {
  // 1 at those entries, else -0 (x + -0 is x, also for x = -0, whose 1/x is -∞ in the derivative).
  const zeroBase = valueMask("pow", x, y, (a, b) => (a === 0 && b >= 0 ? 1 : -0));
  return mul(log(anyNonzero(zeroBase) ? add(x, zeroBase) : x), out);
}

/**
 * The scalar kernel, hoisted so no closure is allocated per call. C's `pow` (and torch, numpy)
 * gives 1 for 1^y with any y (NaN and ±∞ too) and for (-1)^±∞, where JavaScript's `**` gives NaN.
 */
const power = (a: number, b: number) => (a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : a ** b);

/** Power. @example bind(Primitive.Pow, [x, y], NO_PARAMS) */
export const powDef: PrimitiveDef<Primitive.Pow> = {
  doc: "x ** y elementwise (broadcasting)",
  impl: ([x, y]) => binaryKernel("pow", x, y, power),
  // d(x^y) = y x^{y-1} dx + ln(x) x^y dy
  jvp: ([x, y], [xDot, yDot], _params, out) => {
    const tx = xDot ? mul(xDot, dBase(x, y)) : null;
    const ty = yDot ? mul(yDot, dExponent(x, y, out)) : null;
    return tx && ty ? add(tx, ty) : (tx ?? ty);
  },
  // xBar = yBar y x^{y-1}, yBar' = yBar ln(x) x^y, each summed over its broadcast axes
  vjp: (yBar, [x, y], out, _params, [wx, wy]) => [
    wx ? sumToShape(mul(yBar, dBase(x, y)), x.shape) : null,
    wy ? sumToShape(mul(yBar, dExponent(x, y, out)), y.shape) : null,
  ],
};
