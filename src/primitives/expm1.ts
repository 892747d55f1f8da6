/** @file `expm1` primitive: e^x - 1 elementwise, accurate near 0. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add } from "../ops/arith.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** E^x - 1 elementwise, accurate near 0. @example bind(Primitive.Expm1, [x], NO_PARAMS) */
export const expm1Def: PrimitiveDef<Primitive.Expm1> = {
  doc: "e^x - 1 elementwise, accurate near 0",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.expm1(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.expm1(a[i]);
    return wrap(out, x.shape);
  },
  // d(e^x - 1) = e^x dx = (y + 1) dx; xBar = yBar (y + 1)
  ...unaryRules((_x, y) => add(y, 1)),
};
