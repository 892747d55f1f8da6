/** @file Composite linear-algebra ops: dot, outer, trace, norm, and their errors. */
import { describe, expect, test } from "vitest";
import { Rng, dot, eye, grad, norm, outer, sum, tensor, trace } from "gradlab";

describe("linalg ops", () => {
  test("dot, outer, trace, norm against closed forms", () => {
    expect(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
    expect(outer(tensor([1, 2]), tensor([3, 4, 5])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(trace(tensor([[1, 2], [3, 4]])).item()).toBe(5);
    expect(norm(tensor([3, 4])).item()).toBe(5);
    expect(norm(tensor([[1, 2], [2, 4]])).item()).toBeCloseTo(5, 15);
  });

  test("gradients: d tr(X) = I, d||x|| = x/||x||, d sum(a b^T) w.r.t. a = sum(b) 1", () => {
    const X = new Rng(301).randn([3, 3]);
    expect(grad(trace)(X).toArray()).toEqual(eye(3).toArray());
    const x = tensor([3, 4]);
    expect(grad(norm)(x)).toBeAllclose([0.6, 0.8], { rtol: 1e-15, atol: 0 });
    expect(grad((a) => sum(outer(a, tensor([1, 2, 3]))))(tensor([1, 1])).toArray()).toEqual([6, 6]);
  });

  test("errors name the op and the shapes", () => {
    expect(() => outer(tensor([[1]]), tensor([1]))).toThrow("outer: expected two 1-D vectors, got [1,1] and [1]");
    expect(() => trace(tensor([1, 2]))).toThrow("trace: expected a square matrix, got [2]");
    expect(() => dot(tensor([1, 2]), tensor([1, 2, 3]))).toThrow("matmul: inner dimensions differ: [2] @ [3]");
  });
});
