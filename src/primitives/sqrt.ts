/** @file `sqrt` primitive: square root elementwise. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { div } from "../ops/arith.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** Square root elementwise. @example bind(Primitive.Sqrt, [x], NO_PARAMS) */
export const sqrtDef: PrimitiveDef<Primitive.Sqrt> = {
  doc: "square root elementwise",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.sqrt(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i]);
    return wrap(out, x.shape);
  },
  // d sqrt(x) = dx / (2 sqrt x); xBar = yBar / (2 y)
  ...unaryRules((_x, y) => div(0.5, y)),
};
