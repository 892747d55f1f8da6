/** @file Unary elementwise ops, one primitive each: exp log log1p expm1 sin cos tanh sigmoid sqrt abs sign. */
import { bind } from "../core/trace.js";
import { NO_PARAMS, Primitive } from "../core/primitive.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";

/** e^x. @example exp(0).item() // 1 */
export function exp(x: TensorLike): Tensor {
  return bind(Primitive.Exp, [asTensor(x, "exp")], NO_PARAMS);
}

/** Natural logarithm (log of a negative number is NaN, of 0 is -inf). @example log(1).item() // 0 */
export function log(x: TensorLike): Tensor {
  return bind(Primitive.Log, [asTensor(x, "log")], NO_PARAMS);
}

/** ln(1 + x), accurate for small x. @example log1p(1e-20).item() // 1e-20 */
export function log1p(x: TensorLike): Tensor {
  return bind(Primitive.Log1p, [asTensor(x, "log1p")], NO_PARAMS);
}

/** e^x - 1, accurate for small x. @example expm1(1e-20).item() // 1e-20 */
export function expm1(x: TensorLike): Tensor {
  return bind(Primitive.Expm1, [asTensor(x, "expm1")], NO_PARAMS);
}

/** Sine. @example sin(0).item() // 0 */
export function sin(x: TensorLike): Tensor {
  return bind(Primitive.Sin, [asTensor(x, "sin")], NO_PARAMS);
}

/** Cosine. @example cos(0).item() // 1 */
export function cos(x: TensorLike): Tensor {
  return bind(Primitive.Cos, [asTensor(x, "cos")], NO_PARAMS);
}

/** Hyperbolic tangent. @example tanh(0).item() // 0 */
export function tanh(x: TensorLike): Tensor {
  return bind(Primitive.Tanh, [asTensor(x, "tanh")], NO_PARAMS);
}

/**
 * The logistic function σ(t) = 1 / (1 + e^{-t}), stable for |t| up to 1e3 and beyond.
 * @example sigmoid(0).item() // 0.5
 */
export function sigmoid(x: TensorLike): Tensor {
  return bind(Primitive.Logistic, [asTensor(x, "sigmoid")], NO_PARAMS);
}

/** Square root. @example sqrt(4).item() // 2 */
export function sqrt(x: TensorLike): Tensor {
  return bind(Primitive.Sqrt, [asTensor(x, "sqrt")], NO_PARAMS);
}

/** |x| (derivative sign(x), 0 at 0). @example abs(-2).item() // 2 */
export function abs(x: TensorLike): Tensor {
  return bind(Primitive.Abs, [asTensor(x, "abs")], NO_PARAMS);
}

/** -1, 0 or 1, NaN at NaN (as numpy and JAX; torch gives 0); zero derivative. @example sign(-3).item() // -1 */
export function sign(x: TensorLike): Tensor {
  return bind(Primitive.Sign, [asTensor(x, "sign")], NO_PARAMS);
}
