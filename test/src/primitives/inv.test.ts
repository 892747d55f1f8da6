/** @file `inv` primitive: X X^{-1} = I (LU and Cholesky paths), derivatives, singular input, errors. */
import { describe, expect, test } from "vitest";
import { eye, inv, logdet, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";
import { matmulRef, randomSpd, randomWellConditioned } from "./linalg.js";

describe("inv", () => {
  test("X inv(X) = I for a general matrix (LU) and an SPD matrix with a cached Cholesky factor", () => {
    const n = 6;
    const A = randomWellConditioned(n, 8);
    expect(matmulRef(A.data, inv(A).data, n, n, n)).toBeAllclose(eye(n), { rtol: 1e-12, atol: 1e-13 });
    const S = randomSpd(n, 9);
    logdet(S); // caches S's Cholesky factor; inv must reuse it and still be exact
    expect(matmulRef(S.data, inv(S).data, n, n, n)).toBeAllclose(eye(n), { rtol: 1e-12, atol: 1e-13 });
    expect(
      inv(
        tensor([
          [0, 1],
          [1, 0],
        ]),
      ).toArray(),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  test("derivatives (d X^{-1} = -X^{-1} dX X^{-1})", () => {
    checkDerivatives((x) => inv(x), [randomWellConditioned(4, 10)]);
  });

  test("a singular matrix is a clear error, as in numpy and torch; non-square is an error", () => {
    expect(() =>
      inv(
        tensor([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toThrow(
      "inv: the 2x2 matrix is singular (no nonzero pivot in column 2 after partial pivoting), so it has no inverse; check for linearly dependent rows or columns, or regularise it (A + lambda I)",
    );
    expect(() =>
      inv(
        tensor([
          [0, 0],
          [0, 0],
        ]),
      ),
    ).toThrow("no nonzero pivot in column 1");
    expect(() => inv(tensor([[1, 2, 3]]))).toThrow("inv: expected a square matrix, got [1,3]");
  });
});
