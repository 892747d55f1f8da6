/** @file `logistic` primitive: the logistic sigmoid 1 / (1 + e^{-x}) elementwise, overflow-free. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { mul, sub } from "../ops/arith.js";
import { Tensor } from "../tensor/tensor.js";

/** The logistic sigmoid 1 / (1 + e^{-x}) elementwise, overflow-free. @example bind(Primitive.Logistic, [x], NO_PARAMS) */
export const logisticDef: PrimitiveDef<Primitive.Logistic> = {
  doc: "the logistic sigmoid 1 / (1 + e^{-x}) elementwise, overflow-free",
  impl([x]) {
    const a = x.data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Branch on the sign so that e^{|v|} is never formed: stable for any |v|.
      const v = a[i];
      if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
      else {
        const e = Math.exp(v);
        out[i] = e / (1 + e);
      }
    }
    return new Tensor(out, x.shape);
  },
  // d sigma(x) = sigma (1 - sigma) dx
  jvp: (_, [xDot], _params, y) => mul(xDot!, mul(y, sub(1, y))),
  // xBar = yBar sigma (1 - sigma)
  vjp: (yBar, _x, y) => [mul(yBar, mul(y, sub(1, y)))],
};
