/**
 * @file The seminar's closed forms (items 1-3): logistic gradient and Hessian, grad ln det X = X^{-1},
 * and f(x, w, b) = (sigma(w^T x + b) - t)^2 / 2 + lambda/2 ||w||^2 against a hand derivation.
 */
import { describe, expect, test } from "vitest";
import {
  Rng,
  Tensor,
  add,
  dot,
  exp,
  grad,
  hessian,
  inv,
  log,
  logdet,
  matmul,
  mul,
  sigmoid,
  square,
  sub,
  sum,
  tensor,
  transpose,
  valueAndGrad,
} from "gradlab";

const rng = new Rng(251);
const sigma = (t: number): number => 1 / (1 + Math.exp(-t));

describe("seminar closed forms", () => {
  test("item 1: grad ln(1 + e^<a,x>) = sigma(<a,x>) a and Hessian sigma(1 - sigma) a a^T", () => {
    const n = 6;
    const a = rng.randn([n]);
    const x = rng.randn([n]);
    const f = (t: Tensor): Tensor => log(add(1, exp(dot(a, t))));
    const s = sigma(dot(a, x).item());
    expect(grad(f)(x)).toBeAllclose(
      Array.from(a.data, (ai) => s * ai),
      { rtol: 1e-13, atol: 1e-15 },
    );
    const H = hessian(f)(x);
    const expected = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => s * (1 - s) * a.data[i] * a.data[j]));
    expect(H).toBeAllclose(expected, { rtol: 1e-12, atol: 1e-15 });
  });

  test("item 2: grad ln det X = X^{-1} on random SPD X, and d^2 = -tr(X^{-1} dX X^{-1} dX)", () => {
    const n = 5;
    const B = rng.randn([n, n]);
    const X = add(
      matmul(B, transpose(B)),
      mul(tensor(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)))), n),
    );
    const Xinv = inv(X);
    expect(grad(logdet)(X)).toBeAllclose(Xinv, { rtol: 1e-11, atol: 1e-14 });
    // Second differential along a symmetric dX: <H dX, dX> by hessian vs -tr(X^{-1} dX X^{-1} dX).
    const E = rng.randn([n, n]);
    const dX = mul(add(E, transpose(E)), 0.5);
    const H = hessian(logdet)(X); // [n, n, n, n]
    const HdX = sum(mul(H, dX), [2, 3]);
    const quad = sum(mul(HdX, dX)).item();
    const M = matmul(Xinv, dX);
    const closed = -sum(mul(M, transpose(M))).item();
    expect(quad).toBeCloseTo(closed, 10);
  });

  test("item 3: f(x, w, b) gradients match the hand derivation", () => {
    const n = 4;
    const t = 0.3;
    const lambda = 0.1;
    const f = (x: Tensor, w: Tensor, b: Tensor): Tensor =>
      add(mul(square(sub(sigmoid(add(dot(w, x), b)), t)), 0.5), mul(sum(square(w)), lambda / 2));
    const x = rng.randn([n]);
    const w = rng.randn([n]);
    const b = tensor(0.2);
    const [value, [gx, gw, gb]] = valueAndGrad(f, { argnums: [0, 1, 2] })(x, w, b);
    // Hand derivation: z = w^T x + b, s = sigma(z), r = s - t,
    // df/dx = r s (1 - s) w, df/dw = r s (1 - s) x + lambda w, df/db = r s (1 - s).
    const z = Array.from(w.data).reduce((acc, wi, i) => acc + wi * x.data[i], 0) + 0.2;
    const s = sigma(z);
    const r = s - t;
    const c = r * s * (1 - s);
    const wNorm2 = Array.from(w.data).reduce((acc, wi) => acc + wi * wi, 0);
    expect(value.item()).toBeCloseTo((r * r) / 2 + (lambda / 2) * wNorm2, 14);
    expect(gx).toBeAllclose(
      Array.from(w.data, (wi) => c * wi),
      { rtol: 1e-13, atol: 1e-16 },
    );
    expect(gw).toBeAllclose(
      Array.from(x.data, (xi, i) => c * xi + lambda * w.data[i]),
      { rtol: 1e-13, atol: 1e-16 },
    );
    expect(gb.item()).toBeCloseTo(c, 15);
  });
});
