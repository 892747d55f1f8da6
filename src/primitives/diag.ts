/** @file `diag` primitive: vector -> diagonal matrix, square matrix -> its diagonal. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { diag } from "../ops/linalg.js";
import { shapeStr } from "../tensor/shape.js";
import { wrap } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";

/** Diagonal. @example bind(Primitive.Diag, [x], NO_PARAMS) */
export const diagDef: PrimitiveDef<Primitive.Diag> = {
  doc: "diagonal matrix of a vector / diagonal of a square matrix",
  impl([x]) {
    const a = x._data;
    if (x.ndim === 1) {
      const n = x.size;
      const out = new Float64Array(n * n);
      for (let i = 0; i < n; i++) out[i * n + i] = a[i];
      return wrap(out, [n, n]);
    }
    if (x.ndim === 2 && x.shape[0] === x.shape[1]) {
      const n = x.shape[0];
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = a[i * n + i];
      return wrap(out, [n]);
    }
    throw new GradlabError(`diag: expected a 1-D vector or a square matrix, got ${shapeStr(x.shape)}`);
  },
  // linear: d diag(x) = diag(dx)
  jvp: (_, [xDot]) => diag(xDot!),
  // the two directions are each other's transpose: xBar = diag(yBar)
  vjp: (yBar) => [diag(yBar)],
};
