/** @file `pow` primitive: the shared binary suite (positive bases) and constant exponents of negative bases. */
import { expect, test } from "vitest";
import { grad, pow } from "gradlab";
import { binarySuite } from "./binary-suite.js";

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
