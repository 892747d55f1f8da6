/** @file `sin` primitive: sine elementwise. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { cos } from "../ops/unary.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** Sine elementwise. @example bind(Primitive.Sin, [x], NO_PARAMS) */
export const sinDef: PrimitiveDef<Primitive.Sin> = {
  doc: "sine elementwise",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.sin(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.sin(a[i]);
    return wrap(out, x.shape);
  },
  // d(sin x) = cos x dx; xBar = yBar cos x
  ...unaryRules((x) => cos(x)),
};
