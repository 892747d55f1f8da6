/** @file Neural-net style elementwise ops: square and relu (composites), softplus (a primitive). */
import { bind } from "../core/trace.js";
import { NO_PARAMS, Primitive } from "../core/primitive.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { maximum, mul } from "./arith.js";

/**
 * x^2 elementwise.
 * @example square(tensor([2, 3])).toArray() // [4, 9]
 */
export function square(x: TensorLike): Tensor {
  const t = asTensor(x, "square");
  return mul(t, t);
}

/**
 * max(x, 0) elementwise.
 * @example relu(tensor([-1, 2])).toArray() // [0, 2]
 */
export function relu(x: TensorLike): Tensor {
  return maximum(x, 0);
}

/**
 * ln(1 + e^x), computed as max(x, 0) + ln(1 + e^{-|x|}) so it never overflows (|x| up to 1e3
 * and beyond); its derivative is sigmoid(x).
 * @example softplus(1000).item() // 1000
 */
export function softplus(x: TensorLike): Tensor {
  return bind(Primitive.Softplus, [asTensor(x, "softplus")], NO_PARAMS);
}
