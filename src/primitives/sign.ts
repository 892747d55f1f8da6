/** @file `sign` primitive: -1, 0 or 1 elementwise (NaN stays NaN); piecewise constant, so zero derivative. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { Tensor, wrap } from "../tensor/tensor.js";

/** Sign elementwise. @example bind(Primitive.Sign, [x], NO_PARAMS) */
export const signDef: PrimitiveDef<Primitive.Sign> = {
  doc: "sign elementwise (-1, 0, 1)",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.sign(x.first()), x.shape);
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.sign(a[i]);
    return wrap(out, x.shape);
  },
  // d sign(x) = 0 almost everywhere: a symbolic zero tangent.
  jvp: () => null,
  // xBar = 0
  vjp: () => [null],
};
