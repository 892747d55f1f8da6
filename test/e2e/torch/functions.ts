/**
 * @file The cross-checked functions written with gradlab, one for one with FUNCTIONS in
 * torch_ref.py (same names, same argument order, same constants).
 */
import { add, cholesky, det, dot, inv, logdet, matmul, mul, sigmoid, sin, softplus, solve, square, sub, sum, tanh } from "gradlab";
import type { Tensor } from "gradlab";

/** Seminar item 3's constants: target t and weight decay λ. */
const T = 0.3;
const LAMBDA = 0.1;

/**
 * Scalar test functions by name.
 *
 * @example
 * FUNCTIONS.logistic(tensor([[1, 2]]), tensor([0.5, -1])).item(); // ln(1 + e^-1.5)
 */
export const FUNCTIONS: Record<string, (...args: Tensor[]) => Tensor> = {
  logistic: (a, x) => sum(softplus(matmul(a, x))),
  logdet: (x) => logdet(x),
  // (σ(wᵀx + b) − t)² / 2 + λ ‖w‖² / 2
  seminar: (x, w, b) => add(mul(0.5, square(sub(sigmoid(add(dot(w, x), b)), T))), mul(LAMBDA * 0.5, dot(w, w))),
  mlp: (w1, b1, w2, b2, x, y) => mul(0.5, sum(square(sub(add(matmul(w2, tanh(add(matmul(w1, x), b1))), b2), y)))),
  softplus: (t, c) => sum(mul(softplus(t), c)),
  sigmoid: (t, c) => sum(mul(sigmoid(t), c)),
  inv: (a, c) => sum(mul(inv(a), c)),
  solve: (a, b, c) => sum(mul(solve(a, b), c)),
  cholesky: (x, c) => sum(mul(cholesky(x), c)),
  det: (x) => det(x),
  matmulChain: (a, b, c, d) => sum(sin(matmul(matmul(matmul(a, b), c), d))),
};
