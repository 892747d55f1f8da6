/** @file `log` primitive: natural logarithm elementwise. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { div } from "../ops/arith.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** Natural logarithm elementwise. @example bind(Primitive.Log, [x], NO_PARAMS) */
export const logDef: PrimitiveDef<Primitive.Log> = {
  doc: "natural logarithm elementwise",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.log(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.log(a[i]);
    return wrap(out, x.shape);
  },
  // d(ln x) = dx / x; xBar = yBar / x
  ...unaryRules((x) => div(1, x)),
};
