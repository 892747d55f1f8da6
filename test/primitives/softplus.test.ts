/** @file `softplus` primitive: forward vs a Math reference, derivatives at ranks 0-2, NaN propagation. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, grad, softplus, sum, tensor } from "gradlab";
import { checkDerivatives, mapRef } from "./check.js";

const rng = new Rng(11);
/** Inputs inside the domain, at ranks 0, 1 and 2. */
const inputs = [rng.randn([]), rng.randn([5]), rng.randn([3, 4])].map(
  (t) => new Tensor(t.data.map((v) => v), t.shape),
);
const reference: (v: number) => number = (v) => Math.log1p(Math.exp(v));
const derivative: (v: number) => number = (v) => 1 / (1 + Math.exp(-v));

describe("softplus", () => {
  test("forward matches the reference elementwise", () => {
    for (const x of inputs) {
      const y = softplus(x);
      expect(y.shape).toEqual(x.shape);
      expect(y).toBeAllclose(mapRef(x, reference), { rtol: 1e-14, atol: 0 });
    }
  });

  test("jvp vs central differences, vjp vs jvp, second order", () => {
    for (const x of inputs) checkDerivatives((t) => softplus(t), [x]);
  });

  test("gradient of the sum equals the closed-form derivative, with the input's shape", () => {
    for (const x of inputs) {
      const g = grad((t) => sum(softplus(t)))(x);
      expect(g.shape).toEqual(x.shape);
      expect(g).toBeAllclose(mapRef(x, derivative), { rtol: 1e-12, atol: 1e-15 });
    }
  });

  test("NaN propagates without throwing", () => {
    expect(Number.isNaN(softplus(tensor([NaN])).item())).toBe(true);
  });
});
