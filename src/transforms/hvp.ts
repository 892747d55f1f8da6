/** @file Hessian-vector products by forward-over-reverse (seminar item 8): no Hessian is formed. */
import type { TensorLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { noteTransform } from "../core/byhand.js";
import { grad, type TensorFn } from "./grad.js";
import { jvp } from "./jvp.js";

/**
 * ∇²f(x) v as the directional derivative of ∇f along v: `jvp(grad(f), [x], [v])[1]`. Costs a
 * small constant times one gradient, whatever the dimension.
 * @example hvp((x) => sum(pow(x, 3)), tensor([1, 2]), tensor([1, 0])).toArray() // [6, 0]
 */
export function hvp(f: TensorFn, x: TensorLike, v: TensorLike): Tensor {
  noteTransform("hvp");
  return jvp(grad(f), [x], [v])[1];
}
