/**
 * @file Notebook 04's data and the seminar's f(x, ω, b) = (σ(ωᵀx + b) − t)²/2 + λ/2 ‖ω‖², written
 * one line per vertex as the slide numbers it (u₈ = u₇²/2 and u₉ = ‖ω‖² named with `vertex`), and
 * the slide's table as the step tables label it.
 */
import { add, div, dot, mul, randn, sigmoid, square, sub, sum, tensor, vertex, type Tensor } from "gradlab";

export const n = 3;
export const t = 1;
export const lambda = 0.1;
export const x = randn([n], { seed: 21 });
export const w = randn([n], { seed: 22 });
export const b = tensor(0.5);

const halfSquare = vertex("u²/2", (u: Tensor) => div(square(u), 2));
const sqNorm = vertex("‖ω‖²", (w: Tensor) => sum(square(w)));

/** f as the slide numbers it, u₄..u₁₁. */
export function fSeminar(x: Tensor, w: Tensor, b: Tensor): Tensor {
  const u4 = dot(w, x);
  const u5 = add(u4, b);
  const u6 = sigmoid(u5);
  const u7 = sub(u6, t);
  const u8 = halfSquare(u7);
  const u9 = sqNorm(w);
  const u10 = mul(lambda / 2, u9);
  return add(u8, u10);
}

/** The slide's table: u_i = operation of its parents, constants inside the label. */
export const SLIDE = [
  "u1 = x",
  "u2 = w",
  "u3 = b",
  "u4 = dot(u2, u1)",
  "u5 = add(u4, u3)",
  "u6 = σ(u5)",
  "u7 = sub(u6, 1)",
  "u8 = [u²/2](u7)",
  "u9 = [‖ω‖²](u2)",
  "u10 = mul(0.05, u9)",
  "u11 = add(u8, u10)",
];
