/** @file `tanh` primitive: hyperbolic tangent elementwise. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { mul, sub } from "../ops/arith.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** Hyperbolic tangent elementwise. @example bind(Primitive.Tanh, [x], NO_PARAMS) */
export const tanhDef: PrimitiveDef<Primitive.Tanh> = {
  doc: "hyperbolic tangent elementwise",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.tanh(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]);
    return wrap(out, x.shape);
  },
  // d(tanh x) = (1 - tanh^2 x) dx; xBar = yBar (1 - y^2)
  ...unaryRules((_x, y) => sub(1, mul(y, y))),
};
