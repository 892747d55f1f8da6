/**
 * @file Full Jacobians (seminar items 10-11): `jacfwd` pushes the n input basis vectors forward
 * (n JVPs: cheap when n < m), `jacrev` pulls the m output basis vectors back through ONE
 * recorded forward pass (m VJPs: cheap when n >> m).
 */
import { reshape, stack, transpose } from "../ops/shape.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import type { TensorFn } from "./grad.js";
import { pushforward } from "./jvp.js";
import { vjp } from "./vjp.js";

/** Input directions pushed forward per evaluation of f in `jacfwd`. */
const JACFWD_CHUNK = 64;

/** The i-th standard basis tensor of a shape. */
function basis(shape: readonly number[], size: number, i: number): Tensor {
  const e = new Float64Array(size);
  e[i] = 1;
  return new Tensor(e, shape);
}

/**
 * Forward-mode Jacobian of `f` at `x`, shape `[...out.shape, ...x.shape]` (columns by JVPs).
 * @example jacfwd((x) => mul(x, x))(tensor([1, 2])).toArray() // [[2, 0], [0, 4]]
 */
export function jacfwd(f: TensorFn): (x: TensorLike) => Tensor {
  return (x) => {
    const xt = asTensor(x, "jacobian");
    if (xt.size === 0) throw new Error("jacfwd: expected an input with at least one entry, got shape [" + xt.shape.join(",") + "]");
    const cols: Tensor[] = [];
    let outShape: readonly number[] = [];
    // Directions go forward in chunks: one primal evaluation per chunk, bounded memory.
    for (let start = 0; start < xt.size; start += JACFWD_CHUNK) {
      const end = Math.min(xt.size, start + JACFWD_CHUNK);
      const dirs = Array.from({ length: end - start }, (_, k) => basis(xt.shape, xt.size, start + k));
      const [y, ts] = pushforward(f, xt, dirs);
      outShape = y.shape;
      cols.push(...ts);
    }
    // stack gives [n, ...out]; move the input axis to the end, then unflatten it.
    const byInput = stack(cols);
    const perm = [...outShape.map((_, i) => i + 1), 0];
    return reshape(transpose(byInput, perm), [...outShape, ...xt.shape]);
  };
}

/**
 * Reverse-mode Jacobian of `f` at `x`, shape `[...out.shape, ...x.shape]` (rows by pulling back
 * each output basis vector through one recorded forward pass).
 * @example jacrev((x) => mul(x, x))(tensor([1, 2])).toArray() // [[2, 0], [0, 4]]
 */
export function jacrev(f: TensorFn): (x: TensorLike) => Tensor {
  return (x) => {
    const xt = asTensor(x, "jacobian");
    const [y, pullback] = vjp(f, xt);
    if (y.size === 0) throw new Error("jacrev: expected an output with at least one entry, got shape [" + y.shape.join(",") + "]");
    const rows: Tensor[] = [];
    for (let i = 0; i < y.size; i++) rows.push(pullback(basis(y.shape, y.size, i))[0]);
    return reshape(stack(rows), [...y.shape, ...xt.shape]);
  };
}
