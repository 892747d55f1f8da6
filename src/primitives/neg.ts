/** @file `neg` primitive: -x elementwise. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { neg } from "../ops/arith.js";
import { Tensor, wrap } from "../tensor/tensor.js";

/** -x elementwise. @example bind(Primitive.Neg, [x], NO_PARAMS) */
export const negDef: PrimitiveDef<Primitive.Neg> = {
  doc: "-x elementwise",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(-x.first(), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = -a[i];
    return wrap(out, x.shape);
  },
  // d(-x) = -dx
  jvp: (_, [xDot], _params) => neg(xDot!),
  // xBar = -yBar
  vjp: (yBar) => [neg(yBar)],
};
