/** @file Shared test suite for elementwise unary primitives (exp, log, sin, sqrt, abs, ...). */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, grad, sum, tensor } from "gradlab";
import { checkDerivatives, mapRef } from "./check.js";

type Scalar = (v: number) => number;

/** What the suite needs to know about one unary primitive. */
export interface UnarySpec {
  /** Name of the describe block (the primitive's name, e.g. "logistic"). */
  name: string;
  /** The user function that binds the primitive (e.g. `sigmoid` for "logistic"). */
  op: (x: Tensor) => Tensor;
  /** Independent scalar reference, e.g. `Math.exp`. */
  reference: Scalar;
  /** Closed-form derivative at a point of the domain. */
  derivative: Scalar;
  /**
   * Maps a standard normal sample into the domain where the primitive is smooth, e.g.
   * `(v) => Math.abs(v) + 0.5` for log (identity by default).
   */
  domain?: Scalar;
}

/**
 * Registers the shared checks of a unary primitive on inputs at ranks 0, 1 and 2: forward
 * against the scalar reference, jvp against central differences, vjp against jvp and second
 * order (via `checkDerivatives`), the gradient of the sum against the closed-form derivative
 * with the input's shape, and NaN propagation. Call it at the top level of a test file; `more`
 * registers the primitive's own tests inside the same describe block.
 *
 * @example
 * unarySuite({ name: "exp", op: exp, reference: Math.exp, derivative: Math.exp });
 * unarySuite({ name: "log", op: log, reference: Math.log, derivative: (v) => 1 / v, domain: (v) => Math.abs(v) + 0.5 });
 */
export function unarySuite(spec: UnarySpec, more: () => void = () => {}): void {
  const { name, op, reference, derivative } = spec;
  const domain = spec.domain ?? ((v: number) => v);
  const rng = new Rng(11);
  const inputs = [rng.randn([]), rng.randn([5]), rng.randn([3, 4])].map((t) => new Tensor(t.data.map(domain), t.shape));

  describe(name, () => {
    test("forward matches the reference elementwise", () => {
      for (const x of inputs) {
        const y = op(x);
        expect(y.shape).toEqual(x.shape);
        expect(y).toBeAllclose(mapRef(x, reference), { rtol: 1e-14, atol: 0 });
      }
    });

    test("jvp vs central differences, vjp vs jvp, second order", () => {
      for (const x of inputs) checkDerivatives((t) => op(t), [x]);
    });

    test("gradient of the sum equals the closed-form derivative, with the input's shape", () => {
      for (const x of inputs) {
        const g = grad((t) => sum(op(t)))(x);
        expect(g.shape).toEqual(x.shape);
        expect(g).toBeAllclose(mapRef(x, derivative), { rtol: 1e-12, atol: 1e-15 });
      }
    });

    test("NaN propagates without throwing", () => {
      expect(Number.isNaN(op(tensor([NaN])).item())).toBe(true);
    });

    more();
  });
}
