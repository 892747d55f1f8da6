/** @file `expm1` primitive: e^x - 1 elementwise, accurate near 0. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add, mul } from "../ops/arith.js";
import { Tensor } from "../tensor/tensor.js";

/** E^x - 1 elementwise, accurate near 0. @example bind(Primitive.Expm1, [x], NO_PARAMS) */
export const expm1Def: PrimitiveDef<Primitive.Expm1> = {
  doc: "e^x - 1 elementwise, accurate near 0",
  impl([x]) {
    if (x.size === 1) return Tensor.scalar(Math.expm1(x.first()), x.shape);
    const a = x.data;
    const n = a.length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.expm1(a[i]);
    return new Tensor(out, x.shape);
  },
  // d(e^x - 1) = e^x dx = (y + 1) dx
  jvp: (_, [xDot], _params, y) => mul(xDot!, add(y, 1)),
  // xBar = yBar (y + 1)
  vjp: (yBar, _x, y) => [mul(yBar, add(y, 1))],
};
