/** @file `max` primitive (`maximum`): the shared binary suite and the derivative at ties. */
import { expect, test } from "vitest";
import { grad, jvp, maximum, minimum } from "gradlab";
import { binarySuite } from "./binary-suite.js";

binarySuite(
  {
    name: "max",
    opName: "maximum",
    op: maximum,
    reference: Math.max,
    // Random normal samples never tie, so the larger input takes the whole derivative.
    partials: (a, b) => (a > b ? [1, 0] : [0, 1]),
  },
  () => {
    test("ties split the derivative half and half; away from ties it follows the larger input", () => {
      const [gx, gy] = grad((x, y) => maximum(x, y), { argnums: [0, 1] })(2, 2);
      expect([gx.item(), gy.item()]).toEqual([0.5, 0.5]);
      const [hx, hy] = grad((x, y) => maximum(x, y), { argnums: [0, 1] })(3, 1);
      expect([hx.item(), hy.item()]).toEqual([1, 0]);
    });

    test("infinite ties split too: the weight compares x and y, never forming ∞ - ∞", () => {
      const [gx, gy] = grad((x, y) => maximum(x, y), { argnums: [0, 1] })(Infinity, Infinity);
      expect([gx.item(), gy.item()]).toEqual([0.5, 0.5]);
      expect(grad((x) => maximum(x, Infinity))(Infinity).item()).toBe(0.5);
      expect(grad((x) => maximum(x, Infinity))(-Infinity).item()).toBe(0);
      expect(jvp((x) => maximum(x, Infinity), [Infinity], [1])[1].item()).toBe(0.5);
      expect(grad((x) => minimum(x, -Infinity))(-Infinity).item()).toBe(0.5);
      expect(grad((x) => minimum(x, 0))(Infinity).item()).toBe(0);
    });
  },
);
