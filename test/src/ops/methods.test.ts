/** @file Tensor methods mirror the op functions, also on tracers inside transforms. */
import { describe, expect, test } from "vitest";
import { Tensor, exp, grad, matmul, mul, sum, tensor } from "gradlab";

describe("tensor methods", () => {
  test("methods give the same results as the functions", () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(x.mul(2).sum().item()).toBe(20);
    expect(x.exp().toArray()).toEqual(exp(x).toArray());
    expect(x.matmul(tensor([1, 1])).toArray()).toEqual(matmul(x, tensor([1, 1])).toArray());
    expect(x.transpose().toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(x.reshape([4]).max().item()).toBe(4);
    expect(x.mean(0).toArray()).toEqual([2, 3]);
    expect(x.index(1).toArray()).toEqual([3, 4]);
    expect(x.trace().item()).toBe(5);
    expect(x.det().item()).toBeCloseTo(-2, 14);
    expect(x.sub(1).div(2).pow(2).neg().toArray()).toEqual([
      [-0, -0.25],
      [-1, -2.25],
    ]);
  });

  test("a function written with methods is differentiable (tracers have the methods)", () => {
    const f = (t: Tensor): Tensor => t.square().sum().add(t.sin().sum());
    const g = grad(f)(tensor([0.5, 1]));
    expect(g).toBeAllclose([1 + Math.cos(0.5), 2 + Math.cos(1)], { rtol: 1e-15, atol: 0 });
    expect(grad((t) => mul(t, t).sum())(3).item()).toBe(6);
    expect(grad((t) => sum(t.sigmoid().log()))(tensor(0)).item()).toBeCloseTo(0.5, 15);
  });
});
