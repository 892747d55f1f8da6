/** @file Binary elementwise ops with numpy broadcasting: add sub mul div pow maximum minimum, and neg. */
import { bind } from "../core/trace.js";
import { NO_PARAMS, Primitive } from "../core/primitive.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * x + y elementwise (broadcasting).
 * @example add(tensor([1, 2]), 1).toArray() // [2, 3]
 */
export function add(x: TensorLike, y: TensorLike): Tensor {
  return bind(Primitive.Add, [asTensor(x, "add"), asTensor(y, "add")], NO_PARAMS);
}

/**
 * x - y elementwise (broadcasting).
 * @example sub(3, tensor([1, 2])).toArray() // [2, 1]
 */
export function sub(x: TensorLike, y: TensorLike): Tensor {
  return bind(Primitive.Sub, [asTensor(x, "sub"), asTensor(y, "sub")], NO_PARAMS);
}

/**
 * x * y elementwise (broadcasting).
 * @example mul(tensor([1, 2]), tensor([3, 4])).toArray() // [3, 8]
 */
export function mul(x: TensorLike, y: TensorLike): Tensor {
  return bind(Primitive.Mul, [asTensor(x, "mul"), asTensor(y, "mul")], NO_PARAMS);
}

/**
 * x / y elementwise (broadcasting; division by zero gives IEEE inf/NaN).
 * @example div(tensor([1, 2]), 2).toArray() // [0.5, 1]
 */
export function div(x: TensorLike, y: TensorLike): Tensor {
  return bind(Primitive.Div, [asTensor(x, "div"), asTensor(y, "div")], NO_PARAMS);
}

/**
 * x ** y elementwise (broadcasting), with C's `pow` at special values (1^y = 1 for any y). Its
 * derivatives at x = 0 are the polynomial's (the k-th derivative of x^n there is n!·[k = n]), and
 * d/dy 0^y = 0 for y >= 0, as in torch.
 * @example pow(tensor([2, 3]), 2).toArray() // [4, 9]
 */
export function pow(x: TensorLike, y: TensorLike): Tensor {
  return bind(Primitive.Pow, [asTensor(x, "pow"), asTensor(y, "pow")], NO_PARAMS);
}

/**
 * Elementwise maximum (broadcasting). At a tie x = y (ties of infinities too) the derivative is
 * split half and half, 1/2 to each, as JAX's and torch's maximum do (`relu` instead takes 0 at
 * its kink); where x or y is NaN the derivative is NaN.
 * @example maximum(tensor([1, 5]), 3).toArray() // [3, 5]
 */
export function maximum(x: TensorLike, y: TensorLike): Tensor {
  return bind(Primitive.Max, [asTensor(x, "maximum"), asTensor(y, "maximum")], NO_PARAMS);
}

/**
 * Elementwise minimum (broadcasting). At a tie x = y (ties of infinities too) the derivative is
 * split half and half, 1/2 to each, as JAX's and torch's minimum do; where x or y is NaN the
 * derivative is NaN.
 * @example minimum(tensor([1, 5]), 3).toArray() // [1, 3]
 */
export function minimum(x: TensorLike, y: TensorLike): Tensor {
  return bind(Primitive.Min, [asTensor(x, "minimum"), asTensor(y, "minimum")], NO_PARAMS);
}

/**
 * -x elementwise.
 * @example neg(tensor([1, -2])).toArray() // [-1, 2]
 */
export function neg(x: TensorLike): Tensor {
  return bind(Primitive.Neg, [asTensor(x, "neg")], NO_PARAMS);
}
