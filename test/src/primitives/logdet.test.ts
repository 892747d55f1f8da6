/** @file `logdet` primitive: value vs the product of Cholesky pivots / closed forms, gradient X^{-1}, errors. */
import { describe, expect, test } from "vitest";
import { det, grad, inv, logdet, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";
import { randomSpd, randomSymmetric } from "./linalg.js";

describe("logdet", () => {
  test("forward: ln det for diagonal and 2x2 matrices, and agrees with ln(det) on random SPD", () => {
    expect(
      logdet(
        tensor([
          [2, 0],
          [0, 3],
        ]),
      ).item(),
    ).toBeCloseTo(Math.log(6), 14);
    expect(
      logdet(
        tensor([
          [4, 2],
          [2, 3],
        ]),
      ).item(),
    ).toBeCloseTo(Math.log(8), 14);
    const X = randomSpd(6, 4);
    expect(logdet(X).item()).toBeCloseTo(Math.log(det(X).item()), 10);
  });

  test("derivatives along symmetric perturbations (d ln det X = tr(X^{-1} dX), d^2 = -tr(X^{-1}dX X^{-1}dX))", () => {
    checkDerivatives((x) => logdet(x), [randomSpd(5, 5)], { directions: [randomSymmetric(5, 6)] });
  });

  test("the gradient is X^{-1} (seminar item 2)", () => {
    const X = randomSpd(7, 7);
    expect(grad(logdet)(X)).toBeAllclose(inv(tensor(X.toArray())), { rtol: 1e-10, atol: 1e-13 });
  });

  test("non-PD, non-symmetric and non-square inputs are errors naming the op", () => {
    expect(() =>
      logdet(
        tensor([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow("logdet: matrix is not positive definite");
    expect(() =>
      logdet(
        tensor([
          [-1, 0],
          [0, -1],
        ]),
      ),
    ).toThrow("logdet: matrix is not positive definite");
    expect(() =>
      logdet(
        tensor([
          [2, 1],
          [0, 2],
        ]),
      ),
    ).toThrow("logdet: expected a symmetric matrix");
    expect(() => logdet(tensor([1, 2]))).toThrow("logdet: expected a square matrix, got [2]");
  });
});
