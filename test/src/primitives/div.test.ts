/** @file `div` primitive: the shared binary suite (divisors kept away from 0) and IEEE division by zero. */
import { expect, test } from "vitest";
import { div, tensor } from "gradlab";
import { binarySuite } from "./binary-suite.js";

binarySuite(
  {
    name: "div",
    op: div,
    reference: (a, b) => a / b,
    partials: (a, b) => [1 / b, -a / (b * b)],
    domainB: (b) => Math.abs(b) + 0.5,
  },
  () => {
    test("division by zero gives IEEE infinities, no throw", () => {
      expect(div(tensor([1, -1, 0]), 0).toArray()).toEqual([Infinity, -Infinity, NaN]);
    });
  },
);
