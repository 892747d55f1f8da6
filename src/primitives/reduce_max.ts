/** @file `reduce_max` primitive: maximum over sorted, unique axes (ties share the derivative). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import { div, mul } from "../ops/arith.js";
import { reshape } from "../ops/shape.js";
import { reduceMaxKernel } from "../tensor/reduce.js";
import { wrap, type Tensor } from "../tensor/tensor.js";
import { checkAxes, keptDims } from "./_axes.js";
import { valueMask } from "../tensor/mask.js";
import { GradlabError } from "../tensor/errors.js";

/**
 * Entry a of a slice whose maximum is m: 1 where a attains it, else 0; NaN throughout a slice
 * whose maximum is NaN (as torch.amax). Compared, not subtracted: in [∞, 1] the ∞ attains the
 * maximum, where 1 - |sign(a - m)| would give NaN from ∞ - ∞.
 */
const attains = (a: number, m: number) => (a === m ? 1 : Number.isNaN(m) ? NaN : 0);

/** The mask of maximising entries as a concrete tensor of x's shape (see `tensor/mask.ts`). */
const argmaxMask = (x: Tensor, y: Tensor, axes: readonly number[]): Tensor =>
  valueMask("max", x, wrap(y._data, keptDims(x.shape, axes)), attains);

/** Maximum over axes. @example bind(Primitive.ReduceMax, [x], { axes: [1] }) */
export const reduceMaxDef: PrimitiveDef<Primitive.ReduceMax> = {
  doc: "maximum over axes",
  impl([x], { axes }) {
    checkAxes("max", axes, x.ndim);
    if (axes.some((a) => x.shape[a] === 0)) throw new GradlabError(`max: cannot reduce over an empty axis of shape [${x.shape.join(",")}]`);
    return reduceMaxKernel(x, axes);
  },
  // d max(x) = mean of dx over the entries attaining the maximum
  jvp: ([x], [xDot], params, y) => {
    const m = argmaxMask(x, y, params.axes);
    return div(bind(Primitive.ReduceSum, [mul(m, xDot!)], params), bind(Primitive.ReduceSum, [m], params));
  },
  // xBar = yBar / count on the maximising entries, 0 elsewhere
  vjp: (yBar, [x], y, params) => {
    const m = argmaxMask(x, y, params.axes);
    const share = div(yBar, bind(Primitive.ReduceSum, [m], params));
    return [mul(m, reshape(share, keptDims(x.shape, params.axes)))];
  },
};
