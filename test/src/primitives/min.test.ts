/** @file `min` primitive (`minimum`): the shared binary suite and the derivative at ties. */
import { expect, test } from "vitest";
import { grad, minimum } from "gradlab";
import { binarySuite } from "./binary-suite.js";

binarySuite(
  {
    name: "min",
    opName: "minimum",
    op: minimum,
    reference: Math.min,
    // Random normal samples never tie, so the smaller input takes the whole derivative.
    partials: (a, b) => (a < b ? [1, 0] : [0, 1]),
  },
  () => {
    test("ties split the derivative half and half; away from ties it follows the smaller input", () => {
      const [gx, gy] = grad((x, y) => minimum(x, y), { argnums: [0, 1] })(2, 2);
      expect([gx.item(), gy.item()]).toEqual([0.5, 0.5]);
      const [hx, hy] = grad((x, y) => minimum(x, y), { argnums: [0, 1] })(3, 1);
      expect([hx.item(), hy.item()]).toEqual([0, 1]);
    });
  },
);
