/** @file `hessian`: jacfwd(grad) = jacrev(grad) = jacfwd(jacrev) = the closed form; symmetric. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, dot, exp, eye, grad, hessian, jacfwd, jacrev, log1p, mul, outer, sin, sum, zeros } from "gradlab";

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
    expect(H).toBeAllclose(
      Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i === j ? d2[i] : 0))),
      {
        rtol: 1e-12,
        atol: 1e-14,
      },
    );
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

  test("argnums: the blocks of sum(x * x * y) are diag(2y), diag(2x), diag(2x) and 0", () => {
    const x = rng.randn([3]);
    const y = rng.randn([3]);
    const f = (u: Tensor, v: Tensor) => sum(mul(mul(u, u), v));
    const diag2 = (t: Tensor) => mul(eye(3), mul(2, t));
    const [[Hxx, Hxy], [Hyx, Hyy]] = hessian(f, { argnums: [0, 1] })(x, y);
    expect(Hxx).toBeAllclose(diag2(y), { rtol: 1e-13, atol: 1e-15 });
    expect(Hxy).toBeAllclose(diag2(x), { rtol: 1e-13, atol: 1e-15 });
    expect(Hyx).toBeAllclose(diag2(x), { rtol: 1e-13, atol: 1e-15 });
    expect(Hyy).toBeAllclose(zeros([3, 3]), { rtol: 0, atol: 0 });
    expect(hessian(f, { argnums: 1 })(x, y)).toBeAllclose(zeros([3, 3]), { rtol: 0, atol: 0 });
    expect(hessian(f)(x, y)).toBeAllclose(diag2(y), { rtol: 1e-13, atol: 1e-15 });
  });
});
