/** @file `det` primitive: closed forms, permutation sign, derivatives (Jacobi's formula), errors. */
import { describe, expect, test } from "vitest";
import { det, grad, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";
import { randomWellConditioned } from "./linalg.js";

describe("det", () => {
  test("forward: 2x2 and 3x3 closed forms, a permutation, the identity", () => {
    expect(det(tensor([[1, 2], [3, 4]])).item()).toBeCloseTo(-2, 14);
    expect(det(tensor([[0, 1], [1, 0]])).item()).toBe(-1);
    const m = [[2, -1, 0], [1, 3, 2], [0, 1, 4]];
    const closed = 2 * (3 * 4 - 2 * 1) - -1 * (1 * 4 - 2 * 0) + 0;
    expect(det(tensor(m)).item()).toBeCloseTo(closed, 12);
  });

  test("derivatives; the 2x2 gradient is the cofactor matrix", () => {
    checkDerivatives((x) => det(x), [randomWellConditioned(4, 17)]);
    expect(grad(det)(tensor([[1, 2], [3, 4]]))).toBeAllclose([[4, -3], [-2, 1]], { rtol: 1e-12, atol: 1e-12 });
  });

  test("non-square is an error naming the op", () => {
    expect(() => det(tensor([[1, 2, 3]]))).toThrow("det: expected a square matrix, got [1,3]");
  });
});
