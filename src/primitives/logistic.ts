/** @file `logistic` primitive: the logistic sigmoid 1 / (1 + e^{-x}) elementwise, overflow-free. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { mul, sub } from "../ops/arith.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** sigma(v), branching on the sign so that e^{|v|} is never formed: stable for any |v|. */
function logistic(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** The logistic sigmoid 1 / (1 + e^{-x}) elementwise, overflow-free. @example bind(Primitive.Logistic, [x], NO_PARAMS) */
export const logisticDef: PrimitiveDef<Primitive.Logistic> = {
  doc: "the logistic sigmoid 1 / (1 + e^{-x}) elementwise, overflow-free",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(logistic(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = logistic(a[i]);
    return wrap(out, x.shape);
  },
  // d sigma(x) = sigma (1 - sigma) dx; xBar = yBar sigma (1 - sigma)
  ...unaryRules((_x, y) => mul(y, sub(1, y))),
};
