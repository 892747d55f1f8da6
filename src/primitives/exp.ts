/** @file `exp` primitive: e^x elementwise. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** E^x elementwise. @example bind(Primitive.Exp, [x], NO_PARAMS) */
export const expDef: PrimitiveDef<Primitive.Exp> = {
  doc: "e^x elementwise",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.exp(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]);
    return wrap(out, x.shape);
  },
  // d(e^x) = e^x dx (reuses the output y); xBar = yBar e^x
  ...unaryRules((_x, y) => y),
};
