/** @file `hessian`: jacfwd(grad) = jacrev(grad) = jacfwd(jacrev) = the closed form; symmetric. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, dot, exp, grad, hessian, jacfwd, jacrev, log1p, mul, outer, sin, sum } from "gradlab";

const rng = new Rng(241);

describe("hessian", () => {
  test("all routes agree on a nonlinear function", () => {
    const f = (x: Tensor): Tensor => sum(mul(sin(x), exp(mul(x, 0.3))));
    const x = rng.randn([5]);
    const H = hessian(f)(x);
    expect(H.shape).toEqual([5, 5]);
    expect(jacrev(grad(f))(x)).toBeAllclose(H, { rtol: 1e-12, atol: 1e-14 });
    expect(jacfwd(jacrev(f))(x)).toBeAllclose(H, { rtol: 1e-12, atol: 1e-14 });
    expect(jacrev(jacrev(f))(x)).toBeAllclose(H, { rtol: 1e-12, atol: 1e-14 });
    // separable: the Hessian is diagonal with (sin x e^{0.3x})''
    const d2 = Array.from(x.data, (v) => Math.exp(0.3 * v) * ((0.09 - 1) * Math.sin(v) + 0.6 * Math.cos(v)));
    expect(H).toBeAllclose(Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i === j ? d2[i] : 0))), {
      rtol: 1e-12,
      atol: 1e-14,
    });
  });

  test("logistic loss Hessian is sigma(1 - sigma) a a^T (seminar item 1)", () => {
    const a = rng.randn([4]);
    const x = rng.randn([4]);
    const s = 1 / (1 + Math.exp(-dot(a, x).item()));
    const H = hessian((t) => log1p(exp(dot(a, t))))(x);
    expect(H).toBeAllclose(mul(outer(a, a), s * (1 - s)), { rtol: 1e-12, atol: 1e-15 });
  });

  test("Hessian of a matrix function has shape [...x.shape, ...x.shape]", () => {
    expect(hessian((X) => sum(mul(X, X)))(rng.randn([2, 3])).shape).toEqual([2, 3, 2, 3]);
  });
});
