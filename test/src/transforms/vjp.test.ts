/** @file `vjp`: reusable pullbacks, several primals, fan-out accumulation, lazy cotangents, errors. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, add, exp, matmul, mul, sin, sum, tanh, tensor, vjp } from "gradlab";

describe("vjp", () => {
  test("one forward pass, many pullbacks: rows of the Jacobian of tanh(W x) = diag(1 - y^2) W", () => {
    const rng = new Rng(211);
    const W = rng.randn([3, 4]);
    const x = rng.randn([4]);
    const [y, pullback] = vjp((t: Tensor) => tanh(matmul(W, t)), x);
    for (let i = 0; i < 3; i++) {
      const e = tensor([0, 1, 2].map((k) => (k === i ? 1 : 0)));
      const row = pullback(e)[0];
      const d = 1 - y.data[i] ** 2;
      expect(row).toBeAllclose(
        [0, 1, 2, 3].map((j) => d * W.data[i * 4 + j]),
        { rtol: 1e-13, atol: 1e-15 },
      );
    }
  });

  test("one cotangent per primal, each with its primal's shape", () => {
    const [, pullback] = vjp((a: Tensor, b: Tensor) => sum(mul(a, b)), tensor([[1, 2]]), tensor([3, 4]));
    const [ga, gb] = pullback(1);
    expect(ga.toArray()).toEqual([[3, 4]]);
    expect(gb.toArray()).toEqual([1, 2]);
  });

  test("fan-out sums the adjoints (micrograd's +=): d/dx [x e^x + sin x + x] ", () => {
    const g = (x: Tensor): Tensor => add(add(mul(x, exp(x)), sin(x)), x);
    const v = 0.4;
    const [, pullback] = vjp(g, v);
    expect(pullback(1)[0].item()).toBeCloseTo(Math.exp(v) * (1 + v) + Math.cos(v) + 1, 14);
    expect(pullback(2)[0].item()).toBeCloseTo(2 * (Math.exp(v) * (1 + v) + Math.cos(v) + 1), 14);
  });

  test("a cotangent of the wrong shape is an error naming both shapes", () => {
    const [, pullback] = vjp((x: Tensor) => mul(x, 2), tensor([1, 2]));
    expect(() => pullback(tensor([1, 2, 3]))).toThrow("vjp: cotangent has shape [3], expected the output's shape [2]");
  });
});
