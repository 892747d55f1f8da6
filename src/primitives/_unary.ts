/** @file Rule factory for unary elementwise primitives with derivative f'(x) (not a primitive; leading underscore). */
import type { Primitive, PrimitiveDef } from "../core/primitive.js";
import { mul } from "../ops/arith.js";
import type { Tensor } from "../tensor/tensor.js";

/** The rules of y = f(x) elementwise: jvp, vjp and linearize, all multiplying by f'(x). */
type UnaryRules<P extends Primitive> = Pick<PrimitiveDef<P>, "jvp" | "vjp" | "linearize">;

/**
 * Rules of an elementwise y = f(x) from its derivative `slope(x, y)` = f'(x) (which may reuse
 * the output y): dy = f'(x) dx, xBar = f'(x) yBar, and for several directions f'(x) is computed
 * once. `slope` is written with differentiable ops, so the rules differentiate again.
 * @example const rules = unaryRules<Primitive.Exp>((_x, y) => y); // d e^x = e^x dx
 */
export function unaryRules<P extends Primitive>(slope: (x: Tensor, y: Tensor) => Tensor): UnaryRules<P> {
  return {
    jvp: ([x], [xDot], _params, y) => mul(xDot!, slope(x, y)),
    vjp: (yBar, [x], y) => [mul(yBar, slope(x, y))],
    linearize: ([x], _params, y) => {
      const s = slope(x, y);
      return ([xDot]) => (xDot ? mul(xDot, s) : null);
    },
  };
}
