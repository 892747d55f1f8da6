/** @file `hvp`: forward-over-reverse H v equals the Hessian times v and the closed form. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, dot, exp, hessian, hvp, log1p, matmul, sum } from "gradlab";

const rng = new Rng(221);

describe("hvp", () => {
  test("equals hessian(f)(x) v", () => {
    const A = rng.randn([6, 4]);
    const f = (x: Tensor): Tensor => sum(log1p(exp(matmul(A, x))));
    const x = rng.randn([4]);
    const v = rng.randn([4]);
    const H = hessian(f)(x);
    expect(hvp(f, x, v)).toBeAllclose(matmul(H, v), { rtol: 1e-12, atol: 1e-14 });
  });

  test("logistic loss: H v = sigma(1 - sigma) <a, v> a (seminar item 1, rank one)", () => {
    const a = rng.randn([5]);
    const x = rng.randn([5]);
    const v = rng.randn([5]);
    const f = (t: Tensor): Tensor => log1p(exp(dot(a, t)));
    const z = dot(a, x).item();
    const s = 1 / (1 + Math.exp(-z));
    const av = dot(a, v).item();
    expect(hvp(f, x, v)).toBeAllclose(
      Array.from(a.data, (ai) => s * (1 - s) * av * ai),
      { rtol: 1e-12, atol: 1e-15 },
    );
  });
});
