/** @file `cholesky` primitive: lower-triangular L with L L^T = X for a symmetric positive definite X. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add, mul } from "../ops/arith.js";
import { matmul, solve } from "../ops/linalg.js";
import { transpose } from "../ops/shape.js";
import { choleskyFactor } from "../tensor/linalg.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { squareSize } from "./_square.js";
import { GradlabError } from "../tensor/errors.js";

/** Φ's mask: 1 below the diagonal, 1/2 on it, 0 above (takes "half of a symmetric matrix"). */
function phiMask(n: number): Tensor {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) m[i * n + j] = 1;
    m[i * n + i] = 0.5;
  }
  return wrap(m, [n, n]);
}

/** (M + M^T) / 2: only the symmetric part of a perturbation of X is meaningful. */
const sym = (m: Tensor): Tensor => mul(add(m, transpose(m)), 0.5);

/** Cholesky factor. @example bind(Primitive.Cholesky, [X], NO_PARAMS) */
export const choleskyDef: PrimitiveDef<Primitive.Cholesky> = {
  doc: "Cholesky factor",
  impl([x]) {
    const n = squareSize("cholesky", x);
    const L = choleskyFactor(x._data, n);
    if (L === null) throw new GradlabError("cholesky: matrix is not positive definite");
    return wrap(L, x.shape);
  },
  // dL = L Φ(L^{-1} dX L^{-T}), dX symmetrised (Murray 2016)
  jvp: (_, [xDot], _params, L) => {
    const p = solve(L, transpose(solve(L, sym(xDot!))));
    return matmul(L, mul(p, phiMask(L.shape[0])));
  },
  // XBar = sym(L^{-T} Φ(L^T LBar) L^{-1})
  vjp: (lBar, _x, L) => {
    const lt = transpose(L);
    const q = mul(matmul(lt, lBar), phiMask(L.shape[0]));
    const z = solve(lt, q);
    return [sym(transpose(solve(lt, transpose(z))))];
  },
};
