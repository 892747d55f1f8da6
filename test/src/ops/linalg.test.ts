/** @file Composite linear-algebra ops: dot, outer, trace, norm, and their errors. */
import { describe, expect, test } from "vitest";
import { Rng, abs, dot, eye, grad, hessian, jacfwd, jvp, norm, outer, sum, tensor, trace, zeros } from "gradlab";
import type { Tensor } from "gradlab";

describe("linalg ops", () => {
  test("dot, outer, trace, norm against closed forms", () => {
    expect(dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item()).toBe(32);
    expect(outer(tensor([1, 2]), tensor([3, 4, 5])).toArray()).toEqual([
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expect(
      trace(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).item(),
    ).toBe(5);
    expect(norm(tensor([3, 4])).item()).toBe(5);
    expect(
      norm(
        tensor([
          [1, 2],
          [2, 4],
        ]),
      ).item(),
    ).toBeCloseTo(5, 15);
  });

  test("gradients: d tr(X) = I, d||x|| = x/||x||, d sum(a b^T) w.r.t. a = sum(b) 1", () => {
    const X = new Rng(301).randn([3, 3]);
    expect(grad(trace)(X).toArray()).toEqual(eye(3).toArray());
    const x = tensor([3, 4]);
    expect(grad(norm)(x)).toBeAllclose([0.6, 0.8], { rtol: 1e-15, atol: 0 });
    expect(grad((a) => sum(outer(a, tensor([1, 2, 3]))))(tensor([1, 1])).toArray()).toEqual([6, 6]);
  });

  test("norm at 0: value 0, the subgradient 0 as torch gives, and 0 at every higher order", () => {
    const z = zeros([3]);
    expect(norm(z).item()).toBe(0);
    expect(grad(norm)(z).toArray()).toEqual([0, 0, 0]);
    expect(jacfwd(norm)(z).toArray()).toEqual([0, 0, 0]);
    expect(jvp(norm, [z], [tensor([1, 2, 3])])[1].item()).toBe(0);
    expect(hessian(norm)(z).toArray()).toEqual(zeros([3, 3]).toArray());
    expect(grad(norm)(zeros([2, 2])).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    // A one-entry norm is |x| at every order, at the kink too.
    for (const x of [0, -0, 2, -3]) {
      const one = (t: Tensor) => norm(t.reshape([1]));
      expect(one(tensor(x)).item()).toBe(abs(x).item());
      expect(grad(one)(x).item()).toBe(grad(abs)(x).item());
      expect(grad(grad(one))(x).item()).toBe(grad(grad(abs))(x).item());
    }
    // Next to 0 the gradient is x / |x| as usual.
    expect(grad(norm)(tensor([0, -1e-150]))).toBeAllclose([0, -1], { rtol: 1e-15, atol: 0 });
  });

  test("errors name the op and the shapes", () => {
    expect(() => outer(tensor([[1]]), tensor([1]))).toThrow("outer: expected two 1-D vectors, got [1,1] and [1]");
    expect(() => trace(tensor([1, 2]))).toThrow("trace: expected a square matrix, got [2]");
    expect(() => dot(tensor([1, 2]), tensor([1, 2, 3]))).toThrow("matmul: inner dimensions differ: [2] @ [3]");
  });
});
