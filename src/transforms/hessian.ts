/** @file The Hessian as forward-over-reverse: `jacfwd(grad(f))`. */
import type { TensorLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { grad, type TensorFn } from "./grad.js";
import { jacfwd } from "./jacobian.js";

/**
 * ∇²f(x) of a scalar function, shape `[...x.shape, ...x.shape]`.
 * @example hessian((x) => sum(pow(x, 3)))(tensor([1, 2])).toArray() // [[6, 0], [0, 12]]
 */
export function hessian(f: TensorFn): (x: TensorLike) => Tensor {
  return jacfwd(grad(f));
}
