/** @file `cos` primitive: cosine elementwise. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { neg } from "../ops/arith.js";
import { sin } from "../ops/unary.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** Cosine elementwise. @example bind(Primitive.Cos, [x], NO_PARAMS) */
export const cosDef: PrimitiveDef<Primitive.Cos> = {
  doc: "cosine elementwise",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.cos(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.cos(a[i]);
    return wrap(out, x.shape);
  },
  // d(cos x) = -sin x dx; xBar = -yBar sin x
  ...unaryRules((x) => neg(sin(x))),
};
