/** @file `index` primitive: the slice x[i] along the leading axis (file named index_.ts beside the registry). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { index, stack } from "../ops/shape.js";
import { zeros } from "../tensor/create.js";
import { shapeStr } from "../tensor/shape.js";
import { wrap } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";

/** Leading-axis index. @example bind(Primitive.Index, [x], { index: 0 }) */
export const indexDef: PrimitiveDef<Primitive.Index> = {
  doc: "x[i] along the leading axis",
  impl([x], { index: i }) {
    if (x.ndim === 0 || !Number.isInteger(i) || i < 0 || i >= x.shape[0]) {
      throw new GradlabError(`index: expected an index in [0, ${x.shape[0] ?? 0}) for shape ${shapeStr(x.shape)}, got ${i}`);
    }
    const k = x.size / x.shape[0];
    return wrap(x._data.subarray(i * k, (i + 1) * k), x.shape.slice(1));
  },
  // linear: d x[i] = dx[i]
  jvp: (_, [xDot], { index: i }) => index(xDot!, i),
  // xBar = yBar placed at row i of zeros
  vjp: (yBar, [x], _y, { index: i }) => {
    const z = zeros(yBar.shape);
    return [stack(Array.from({ length: x.shape[0] }, (_, j) => (j === i ? yBar : z)))];
  },
};
