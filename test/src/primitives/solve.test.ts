/** @file `solve` primitive: A x = b for vector and matrix b, derivatives w.r.t. A and b, errors. */
import { describe, expect, test } from "vitest";
import { Rng, solve, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";
import { matmulRef, randomWellConditioned } from "./linalg.js";

describe("solve", () => {
  test("A solve(A, b) = b for a vector and a matrix right-hand side", () => {
    const n = 5;
    const A = randomWellConditioned(n, 12);
    const b = new Rng(13).randn([n]);
    expect(matmulRef(A.data, solve(A, b).data, n, n, 1)).toBeAllclose(b, { rtol: 1e-12, atol: 1e-13 });
    const B = new Rng(14).randn([n, 3]);
    expect(matmulRef(A.data, solve(A, B).data, n, n, 3)).toBeAllclose(B, { rtol: 1e-12, atol: 1e-13 });
  });

  test.each([[[4]], [[4, 2]]])("derivatives w.r.t. A and b, b of shape %j", (sb) => {
    checkDerivatives((a, b) => solve(a, b), [randomWellConditioned(4, 15), new Rng(16).randn(sb)]);
  });

  test("shape errors name the op and both shapes", () => {
    expect(() =>
      solve(
        tensor([
          [1, 0],
          [0, 1],
        ]),
        tensor([1, 2, 3]),
      ),
    ).toThrow("solve: dimensions differ: [2,2] and [3]");
    expect(() => solve(tensor([[1, 0, 0]]), tensor([1]))).toThrow("solve: expected a square matrix, got [1,3]");
    expect(() =>
      solve(
        tensor([
          [1, 2],
          [2, 4],
        ]),
        tensor([1, 2]),
      ),
    ).toThrow("solve: the 2x2 matrix is singular (no nonzero pivot in column 2 after partial pivoting), so A x = b has no unique solution");
  });
});
