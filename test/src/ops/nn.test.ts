/** @file Composite ops: softplus and sigmoid stable for |t| up to 1e3, relu, square. */
import { describe, expect, test } from "vitest";
import { grad, hessian, jvp, maximum, ones, relu, sigmoid, softplus, square, sum, tensor } from "gradlab";
import type { Tensor } from "gradlab";

const sigma = (t: number): number => 1 / (1 + Math.exp(-t));

describe("nn ops", () => {
  test("softplus = ln(1 + e^t) without overflow for |t| up to 1e3, derivative sigmoid", () => {
    const t = tensor([-1000, -50, -1, 0, 1, 50, 1000]);
    const y = softplus(t);
    expect(y).toBeAllclose([0, Math.exp(-50), Math.log1p(Math.exp(-1)), Math.LN2, 1 + Math.log1p(Math.exp(-1)), 50, 1000], {
      rtol: 1e-14,
      atol: 0,
    });
    const g = grad((x) => sum(softplus(x)))(t);
    expect(g).toBeAllclose([0, sigma(-50), sigma(-1), 0.5, sigma(1), 1, 1], { rtol: 1e-14, atol: 1e-300 });
    expect(Array.from(g.data).every(Number.isFinite)).toBe(true);
  });

  test("sigmoid is finite and exact in the tails; its second derivative too", () => {
    const t = tensor([-1000, -40, 0, 40, 1000]);
    expect(sigmoid(t)).toBeAllclose([0, sigma(-40), 0.5, sigma(40), 1], { rtol: 1e-15, atol: 0 });
    const h = hessian((x) => sum(sigmoid(x)))(tensor([-1000, 1000, 0.3]));
    const s = sigma(0.3);
    expect(h).toBeAllclose(
      [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, s * (1 - s) * (1 - 2 * s)],
      ],
      { rtol: 1e-13, atol: 1e-300 },
    );
  });

  test("relu and square", () => {
    expect(relu(tensor([-2, 0, 3])).toArray()).toEqual([0, 0, 3]);
    expect(grad((x) => sum(relu(x)))(tensor([-2, 3])).toArray()).toEqual([0, 1]);
    expect(square(tensor([-2, 3])).toArray()).toEqual([4, 9]);
    expect(grad((x) => sum(square(x)))(tensor([-2, 3])).toArray()).toEqual([-4, 6]);
  });

  test("relu's derivative is [x > 0]: 0 at the kink, as torch.relu and jax.nn.relu; 0 at every higher order", () => {
    const x = tensor([-2, -0, 0, 3, Infinity, -Infinity]);
    expect(relu(x)).toBeAllclose([0, 0, 0, 3, Infinity, 0], { rtol: 0, atol: 0 });
    const slope = [0, 0, 0, 1, 1, 0];
    expect(grad((t) => sum(relu(t)))(x)).toBeAllclose(slope, { rtol: 0, atol: 0 });
    expect(jvp(relu, [x], [ones([6])])[1]).toBeAllclose(slope, { rtol: 0, atol: 0 });
    expect(grad(relu)(0).item()).toBe(0);
    expect(grad(grad(relu))(0).item()).toBe(0);
    expect(hessian((t) => sum(relu(t)))(tensor([0, 1, -1]))).toBeAllclose(
      [
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
      { rtol: 0, atol: 0 },
    );
    // d relu(x) at NaN is NaN (the value is NaN too).
    expect(Number.isNaN(grad(relu)(NaN).item())).toBe(true);
  });

  test("maximum(x, 0) keeps splitting the tie (1/2 at 0), as JAX's maximum and torch.maximum", () => {
    expect(grad((t: Tensor) => maximum(t, 0))(0).item()).toBe(0.5);
  });
});
