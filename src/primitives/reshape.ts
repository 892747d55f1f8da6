/** @file `reshape` primitive: the same entries with a new shape (shares storage, no copy). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { reshape } from "../ops/shape.js";
import { shapeStr, sizeOf } from "../tensor/shape.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/** Reshape. @example bind(Primitive.Reshape, [x], { shape: [2, 2] }) */
export const reshapeDef: PrimitiveDef<Primitive.Reshape> = {
  doc: "same entries, new shape",
  impl([x], { shape }) {
    if (sizeOf(shape) !== x.size)
      throw new GradlabError(`reshape: ${tr("cannot reshape {from} into {to}", { from: shapeStr(x.shape), to: shapeStr(shape) })}`);
    return x.size === 1 ? Tensor.scalar(x.first(), shape) : wrap(x._data, shape);
  },
  // reshape is linear: d reshape(x) = reshape(dx)
  jvp: (_, [xDot], { shape }) => reshape(xDot!, shape),
  // xBar = yBar reshaped back
  vjp: (yBar, [x]) => [reshape(yBar, x.shape)],
};
