/** @file Errors a transform reports about the function it was given name that transform. */
import { describe, expect, test } from "vitest";
import { hessian, jacfwd, jacrev, mul, pow, sum, tensor, type Tensor } from "gradlab";

describe("hessian of a function that does not return a scalar", () => {
  const square = (x: Tensor) => mul(x, x);
  const x = tensor([1, 2, 3]);
  const message =
    "hessian: f must return a scalar, got shape [3] (for a vector-valued f, jacfwd(jacrev(f)) gives the second derivatives of every entry)";

  test("is reported by hessian, not by the grad it is built on", () => {
    expect(() => hessian(square)(x)).toThrow(message);
    expect(() => hessian((a: Tensor, b: Tensor) => mul(a, b), { argnums: [0, 1] })(x, x)).toThrow(message);
  });

  test("the alternative the message names works, and scalar functions are unaffected", () => {
    // d²(x_i²)/dx_j dx_k = 2 when i = j = k, else 0
    const H = jacfwd(jacrev(square))(x) as Tensor;
    expect(H.shape).toEqual([3, 3, 3]);
    const expected = [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2].map((k) => (i === j && j === k ? 2 : 0))));
    expect(H.toArray()).toEqual(expected);
    // ∇² sum(x³) = diag(6 x)
    expect(hessian((v: Tensor) => sum(pow(v, 3)))(x).toArray()).toEqual([
      [6, 0, 0],
      [0, 12, 0],
      [0, 0, 18],
    ]);
  });
});
