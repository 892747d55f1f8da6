/** @file `log1p` primitive: ln(1 + x) elementwise, accurate near 0. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add, div } from "../ops/arith.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** Ln(1 + x) elementwise, accurate near 0. @example bind(Primitive.Log1p, [x], NO_PARAMS) */
export const log1pDef: PrimitiveDef<Primitive.Log1p> = {
  doc: "ln(1 + x) elementwise, accurate near 0",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.log1p(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.log1p(a[i]);
    return wrap(out, x.shape);
  },
  // d ln(1 + x) = dx / (1 + x); xBar = yBar / (1 + x)
  ...unaryRules((x) => div(1, add(x, 1))),
};
