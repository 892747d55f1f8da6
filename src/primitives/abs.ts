/** @file `abs` primitive: absolute value elementwise. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { sign } from "../ops/unary.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** Absolute value elementwise. @example bind(Primitive.Abs, [x], NO_PARAMS) */
export const absDef: PrimitiveDef<Primitive.Abs> = {
  doc: "absolute value elementwise",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.abs(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.abs(a[i]);
    return wrap(out, x.shape);
  },
  // d|x| = sign(x) dx (0 at x = 0); xBar = yBar sign(x)
  ...unaryRules((x) => sign(x)),
};
