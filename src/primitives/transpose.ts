/** @file `transpose` primitive: permutes axes (a copy). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { transpose } from "../ops/shape.js";
import { transposeData } from "../tensor/elementwise.js";
import { wrap } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";

/** Transpose. @example bind(Primitive.Transpose, [x], { perm: [1, 0] }) */
export const transposeDef: PrimitiveDef<Primitive.Transpose> = {
  doc: "permute axes",
  impl([x], { perm }) {
    const n = x.ndim;
    const ok = perm.length === n && perm.every((p) => Number.isInteger(p) && p >= 0 && p < n) && new Set(perm).size === n;
    if (!ok)
      throw new GradlabError(`transpose: expected a permutation of 0..${n - 1} for shape [${x.shape.join(",")}], got [${perm.join(",")}]`);
    if (x.size <= 1 || perm.every((p, i) => p === i))
      return wrap(
        x._data,
        perm.map((p) => x.shape[p]),
      );
    return wrap(
      transposeData(x, perm),
      perm.map((p) => x.shape[p]),
    );
  },
  // linear: d transpose(x) = transpose(dx)
  jvp: (_, [xDot], { perm }) => transpose(xDot!, perm),
  // xBar = yBar with the inverse permutation
  vjp: (yBar, _x, _y, { perm }) => {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [transpose(yBar, inverse)];
  },
};
