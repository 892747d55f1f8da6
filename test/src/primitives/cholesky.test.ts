/** @file `cholesky` primitive: L L^T = X, lower triangular, derivatives along symmetric directions, errors. */
import { describe, expect, test } from "vitest";
import { cholesky, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";
import { matmulRef, randomSpd, randomSymmetric } from "./linalg.js";

describe("cholesky", () => {
  test("L is lower triangular with positive diagonal and L L^T = X", () => {
    const n = 5;
    const X = randomSpd(n, 1);
    const L = cholesky(X);
    const Lt = new Float64Array(n * n).map((_, k) => L.data[(k % n) * n + Math.floor(k / n)]);
    expect(matmulRef(L.data, Lt, n, n, n)).toBeAllclose(X.data, { rtol: 1e-12, atol: 1e-12 });
    for (let i = 0; i < n; i++) {
      expect(L.data[i * n + i]).toBeGreaterThan(0);
      for (let j = i + 1; j < n; j++) expect(L.data[i * n + j]).toBe(0);
    }
    expect(
      cholesky(
        tensor([
          [4, 2],
          [2, 3],
        ]),
      ),
    ).toBeAllclose(
      [
        [2, 0],
        [1, Math.SQRT2],
      ],
      { rtol: 1e-15, atol: 0 },
    );
  });

  test("derivatives along symmetric perturbations", () => {
    checkDerivatives((x) => cholesky(x), [randomSpd(4, 2)], { directions: [randomSymmetric(4, 3)] });
  });

  test("non-PD and non-square inputs are errors naming the op", () => {
    expect(() =>
      cholesky(
        tensor([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow("cholesky: matrix is not positive definite");
    expect(() => cholesky(tensor([[1, 2, 3]]))).toThrow("cholesky: expected a square matrix, got [1,3]");
  });
});
