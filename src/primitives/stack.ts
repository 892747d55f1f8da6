/** @file `stack` primitive: equally shaped tensors stacked along a new leading axis (builds Jacobians). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { index, stack } from "../ops/shape.js";
import { zeros } from "../tensor/create.js";
import { sameShape, shapeStr } from "../tensor/shape.js";
import { wrap } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";

/** Stack. @example bind(Primitive.Stack, [a, b], NO_PARAMS) */
export const stackDef: PrimitiveDef<Primitive.Stack> = {
  doc: "stack along a new leading axis",
  impl(xs) {
    if (xs.length === 0) throw new GradlabError("stack: expected at least one tensor, got none");
    const shape = xs[0].shape;
    const k = xs[0].size;
    const out = new Float64Array(xs.length * k);
    for (let i = 0; i < xs.length; i++) {
      if (!sameShape(xs[i].shape, shape)) {
        throw new GradlabError(`stack: shapes differ: ${shapeStr(shape)} and ${shapeStr(xs[i].shape)} (entry ${i})`);
      }
      out.set(xs[i]._data, i * k);
    }
    return wrap(out, [xs.length, ...shape]);
  },
  // linear: d stack(x_i) = stack(dx_i), a symbolic zero becoming explicit zeros
  jvp: (xs, dots) => stack(dots.map((d, i) => d ?? zeros(xs[i].shape))),
  // xBar_i = yBar[i]
  vjp: (yBar, xs, _y, _params, wants) => xs.map((_, i) => (wants[i] ? index(yBar, i) : null)),
};
