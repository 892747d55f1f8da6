/** @file `pow` primitive: the shared binary suite (positive bases), constant exponents of negative bases, and the special points 0, ±∞, NaN. */
import { describe, expect, test } from "vitest";
import { add, grad, hessian, jacfwd, jvp, mul, ones, pow, sub, sum, tensor } from "gradlab";
import type { Tensor } from "gradlab";
import { binarySuite } from "./binary-suite.js";
import { centralDiff } from "./check.js";

binarySuite(
  {
    name: "pow",
    op: pow,
    reference: (a, b) => a ** b,
    partials: (a, b) => [b * a ** (b - 1), a ** b * Math.log(a)],
    domainA: (a) => Math.abs(a) + 0.5,
  },
  () => {
    test("a constant exponent never forms log(x) (negative bases stay finite)", () => {
      expect(grad((x) => pow(x, 3))(-2).item()).toBeCloseTo(12, 12);
      expect(grad((x) => pow(x, 2))(0).item()).toBe(0);
    });
  },
);

type Fn = (x: Tensor) => Tensor;
/** k nested reverse-mode derivatives of an elementwise f (each the gradient of the previous one's sum). */
const nestedGrad = (f: Fn, k: number): Fn => (k === 0 ? f : nestedGrad((x) => grad((z: Tensor) => sum(f(z)))(x), k - 1));
/** k nested forward-mode derivatives of an elementwise f, along ones. */
const nestedJvp = (f: Fn, k: number): Fn => (k === 0 ? f : nestedJvp((x) => jvp(f, [x], [ones(x.shape)])[1], k - 1));
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
/** Exact equality, with -0 and +0 alike (they are the same point). */
const EXACT = { rtol: 0, atol: 0 };

describe("pow at special points", () => {
  test("d/dx x^0 = 0 everywhere, at x = 0 too (and at ±∞, NaN, where x^0 is 1 as well)", () => {
    expect(grad((x) => pow(x, 0))(0).item()).toBe(0);
    expect(grad((x) => pow(x, 0))(-0).item()).toBe(0);
    expect(grad((x) => sum(pow(x, 0)))(tensor([0, 2, Infinity, -Infinity, NaN]))).toBeAllclose([0, 0, 0, 0, 0], EXACT);
    expect(jvp((x) => pow(x, 0), [0], [1])[1].item()).toBe(0);
  });

  test("Taylor coefficients at 0: the k-th derivative of x^n at 0 is n!·[k = n], in reverse, forward and mixed modes", () => {
    for (let n = 0; n <= 4; n++) {
      const f: Fn = (x) => pow(x, n);
      for (let k = 1; k <= 5; k++) {
        const want = k === n ? factorial(n) : 0;
        const x = tensor([0, -0]);
        expect(nestedGrad(f, k)(x).toArray(), `grad^${k} of x^${n}`).toBeAllclose([want, want], EXACT);
        expect(nestedJvp(f, k)(x).toArray(), `jvp^${k} of x^${n}`).toBeAllclose([want, want], EXACT);
        // jvp of (k - 1) grads: forward over reverse.
        expect(nestedJvp(nestedGrad(f, k - 1), 1)(x).toArray(), `jvp of grad^${k - 1} of x^${n}`).toBeAllclose([want, want], EXACT);
      }
      expect(hessian((x) => pow(x, n))(0).item(), `hessian of x^${n}`).toBe(n === 2 ? 2 : 0);
      expect(jacfwd(jacfwd((x) => pow(x, n)))(0).item(), `jacfwd of jacfwd of x^${n}`).toBe(n === 2 ? 2 : 0);
    }
    expect(grad(grad(grad((x) => pow(x, 2))))(0).item()).toBe(0);
    expect(grad(grad((x) => pow(x, 2)))(0).item()).toBe(2);
  });

  test("a polynomial written with pow has its coefficients times k! as derivatives at 0", () => {
    // p(x) = 3 x^0 - 2 x^1 + 5 x^2 + x^3: p(0) = 3, p'(0) = -2, p''(0) = 10, p'''(0) = 6, p''''(0) = 0.
    const p: Fn = (x) => add(sub(mul(3, pow(x, 0)), mul(2, pow(x, 1))), add(mul(5, pow(x, 2)), pow(x, 3)));
    const want = [3, -2, 10, 6, 0];
    want.forEach((w, k) => {
      expect(nestedGrad(p, k)(tensor(0)).item(), `p^(${k})(0) by grad`).toBeAllclose(w, EXACT);
      expect(nestedJvp(p, k)(tensor(0)).item(), `p^(${k})(0) by jvp`).toBeAllclose(w, EXACT);
    });
  });

  test("fractional and negative exponents at 0 give the one-sided limits, as torch does", () => {
    expect(grad((x) => pow(x, 0.5))(0).item()).toBe(Infinity);
    expect(grad(grad((x) => pow(x, 0.5)))(0).item()).toBe(-Infinity);
    expect(grad((x) => pow(x, 1.5))(0).item()).toBe(0);
    expect(grad((x) => pow(x, -1))(0).item()).toBe(-Infinity);
    expect(Number.isNaN(pow(-2, 0.5).item())).toBe(true);
    expect(Number.isNaN(grad((x) => pow(x, 0.5))(-2).item())).toBe(true);
  });

  test("d/dy 0^y = 0 for y >= 0 at every order (0^y is 0 for every y > 0); a negative base gives NaN", () => {
    const y = tensor([2, 0.5, 0, Infinity]);
    expect(grad((t) => sum(pow(0, t)))(y)).toBeAllclose([0, 0, 0, 0], EXACT);
    expect(grad((t) => sum(grad((s: Tensor) => sum(pow(0, s)))(t)))(y)).toBeAllclose([0, 0, 0, 0], EXACT);
    expect(jvp((t) => pow(0, t), [y], [ones([4])])[1]).toBeAllclose([0, 0, 0, 0], EXACT);
    // 0^y = ∞ for y < 0: ln(0) · ∞ = -∞.
    expect(grad((t) => pow(0, t))(-1).item()).toBe(-Infinity);
    expect(Number.isNaN(grad((t) => pow(-2, t))(2).item())).toBe(true);
  });

  test("the mixed partial x^(y-1) (1 + y ln x) is right at y = 0 (1/x), by central differences too", () => {
    const dxdy = (x: number, y: number): number => grad((t: Tensor) => grad((s: Tensor) => pow(s, t))(x))(y).item();
    const dydx = (x: number, y: number): number => grad((s: Tensor) => grad((t: Tensor) => pow(s, t))(y))(x).item();
    for (const x of [0.5, 2, 3]) {
      expect(dxdy(x, 0)).toBeCloseTo(1 / x, 14);
      expect(dydx(x, 0)).toBeCloseTo(1 / x, 14);
      const dx = (t: Tensor) => grad((s: Tensor) => pow(s, t))(x);
      expect(dxdy(x, 0)).toBeAllclose(centralDiff(dx, [tensor(0)], [tensor(1)]), { rtol: 1e-7, atol: 0 });
    }
    // At x = -0 the mask must not turn -0 into +0: ∂/∂x (ln x · x^y) at (-0, -1) is +∞ (as in torch).
    expect(dydx(-0, -1)).toBe(Infinity);
  });

  test("C's pow at special values: 1^y = 1 for any y, (-1)^±∞ = 1, x^0 = 1 for any x", () => {
    expect(pow(tensor([1, 1, 1, -1, -1, NaN]), tensor([NaN, Infinity, -Infinity, Infinity, -Infinity, 0])).toArray()).toEqual([
      1, 1, 1, 1, 1, 1,
    ]);
    expect(grad((t) => pow(1, t))(NaN).item()).toBe(0);
  });
});
