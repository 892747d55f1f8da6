/** @file `square` primitive: x² elementwise (JAX's `square`), one vertex u² in a recorded graph. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add, mul } from "../ops/arith.js";
import { Tensor, wrap } from "../tensor/tensor.js";

/**
 * x² elementwise. The rules double a product by adding it to itself (t + t), which is exact, so
 * every value and derivative is the one `mul(x, x)` gives, whose rules sum the two equal terms
 * x·ẋ and ẋ·x. @example bind(Primitive.Square, [x], NO_PARAMS)
 */
export const squareDef: PrimitiveDef<Primitive.Square> = {
  doc: "x² elementwise",
  impl([x]) {
    if (x.size === 1) {
      const v = x.first();
      return Tensor.scalar(v * v, x.shape);
    }
    const a = x._data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = a[i] * a[i];
    return wrap(out, x.shape);
  },
  // d(x²) = ẋ x + x ẋ = 2 x ẋ
  jvp: ([x], [xDot]) => {
    const t = mul(xDot!, x);
    return add(t, t);
  },
  // x̄ = ȳ x + ȳ x = 2 x ȳ
  vjp: (yBar, [x]) => {
    const t = mul(yBar, x);
    return [add(t, t)];
  },
};
