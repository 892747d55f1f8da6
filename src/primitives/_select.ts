/** @file Rule factory for elementwise selections max/min (not a primitive; leading underscore). */
import type { Primitive, PrimitiveDef } from "../core/primitive.js";
import { add, mul, sub } from "../ops/arith.js";
import { sumToShape } from "../ops/shape.js";
import type { Tensor } from "../tensor/tensor.js";

/** The rules of z = select(x, y) elementwise, with numpy broadcasting: jvp and vjp. */
type SelectRules<P extends Primitive> = Pick<PrimitiveDef<P>, "jvp" | "vjp">;

/**
 * Rules of an elementwise z that picks x or y (max, min) from `weight(x, y)` = w, the share of x
 * in the derivative (1 where x is picked, 0 where y is, 1/2 at ties):
 * dz = w dx + (1 - w) dy, and xBar = w zBar, yBar = (1 - w) zBar, each summed over its broadcast
 * axes. `weight` is piecewise constant, so it may be a concrete mask of the values (`tensor/mask.ts`):
 * its derivative is zero, and the rules, written with differentiable ops, differentiate again.
 * @example const rules = selectRules<Primitive.Max>((x, y) => valueMask("maximum", x, y, (a, b) => (a > b ? 1 : a < b ? 0 : 0.5)));
 */
export function selectRules<P extends Primitive>(weight: (x: Tensor, y: Tensor) => Tensor): SelectRules<P> {
  return {
    // dz = w dx + (1 - w) dy
    jvp: ([x, y], [xDot, yDot]) => {
      const w = weight(x, y);
      const tx = xDot ? mul(xDot, w) : null;
      const ty = yDot ? mul(yDot, sub(1, w)) : null;
      return tx && ty ? add(tx, ty) : (tx ?? ty);
    },
    // xBar = w zBar, yBar = (1 - w) zBar, each summed over its broadcast axes
    vjp: (zBar, [x, y], _out, _params, [wx, wy]) => {
      const w = weight(x, y);
      return [wx ? sumToShape(mul(zBar, w), x.shape) : null, wy ? sumToShape(mul(zBar, sub(1, w)), y.shape) : null];
    },
  };
}
