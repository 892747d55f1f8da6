/** @file Neural-net style elementwise ops: square and softplus (primitives), relu (a composite). */
import { bind } from "../core/trace.js";
import { NO_PARAMS, Primitive } from "../core/primitive.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import { valueMask } from "../tensor/mask.js";
import { maximum, mul } from "./arith.js";

/**
 * x^2 elementwise: one primitive, so a graph records it as one vertex (the seminar's u²), with the
 * same numbers as mul(x, x) (see src/primitives/square.ts).
 * @example square(tensor([2, 3])).toArray() // [4, 9]
 */
export function square(x: TensorLike): Tensor {
  return bind(Primitive.Square, [asTensor(x, "square")], NO_PARAMS);
}

/** The scalar 0 that relu's mask is computed against (a shape-[] tensor broadcasts to any shape). */
const ZERO = Tensor.scalar(0);

/** relu's derivative at a: 1 where a > 0, 0 where a <= 0 (the kink included), NaN at NaN. */
const step = (a: number) => (a > 0 ? 1 : a <= 0 ? 0 : NaN);

/**
 * max(x, 0) elementwise, with derivative 1 where x > 0 and 0 where x <= 0: 0 at the kink x = 0,
 * as torch.relu and jax.nn.relu give (`maximum(x, 0)` alone would split the tie and give 1/2),
 * and 0 at every higher order. Formed as maximum(x, 0) · [x > 0], the second factor a concrete
 * mask of x's values (piecewise constant, derivative zero; at x = -∞ it is 0 · 0, never -∞ · 0).
 * @example relu(tensor([-1, 2])).toArray() // [0, 2]
 */
export function relu(x: TensorLike): Tensor {
  const t = asTensor(x, "relu");
  return mul(maximum(t, 0), valueMask("relu", t, ZERO, step));
}

/**
 * ln(1 + e^x), computed as max(x, 0) + ln(1 + e^{-|x|}) so it never overflows (|x| up to 1e3
 * and beyond); its derivative is sigmoid(x).
 * @example softplus(1000).item() // 1000
 */
export function softplus(x: TensorLike): Tensor {
  return bind(Primitive.Softplus, [asTensor(x, "softplus")], NO_PARAMS);
}
