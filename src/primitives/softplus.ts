/**
 * @file `softplus` primitive: ln(1 + e^x) elementwise, overflow-free. A primitive rather than a
 * composite so that a logistic loss sum(softplus(A x)) costs one elementwise pass forward and two
 * backward (a composite max(x,0) + log1p(e^{-|x|}) costs about seventeen).
 */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { sigmoid } from "../ops/unary.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { unaryRules } from "./_unary.js";

/** max(v, 0) + ln(1 + e^{-|v|}): never forms e^{|v|}, exact in both tails. */
function softplus(v: number): number {
  return (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/** Softplus elementwise. @example bind(Primitive.Softplus, [x], NO_PARAMS) */
export const softplusDef: PrimitiveDef<Primitive.Softplus> = {
  doc: "ln(1 + e^x) elementwise, overflow-free",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(softplus(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = softplus(a[i]);
    return wrap(out, x.shape);
  },
  // d ln(1 + e^x) = sigma(x) dx; xBar = yBar sigma(x)
  ...unaryRules((x) => sigmoid(x)),
};
