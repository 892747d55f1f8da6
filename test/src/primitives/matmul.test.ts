/** @file `matmul` primitive: all 1-D/2-D combinations vs explicit sums, derivatives, lazy cotangents, errors. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, dot, grad, matmul, sum, tensor, vjp } from "gradlab";
import { checkDerivatives } from "./check.js";

const rng = new Rng(81);

/** Explicit triple-loop product of row-major matrices as a reference. */
function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}

describe("matmul", () => {
  test("forward for matrix@matrix, matrix@vector, vector@matrix, vector@vector", () => {
    const A = rng.randn([3, 5]);
    const B = rng.randn([5, 4]);
    const v = rng.randn([5]);
    const w = rng.randn([3]);
    const An = A.toArray() as number[][];
    expect(matmul(A, B)).toBeAllclose(naive(An, B.toArray() as number[][]), { rtol: 1e-13, atol: 1e-14 });
    expect(matmul(A, v)).toBeAllclose(
      naive(
        An,
        (v.toArray() as number[]).map((x) => [x]),
      ),
      { rtol: 1e-13, atol: 1e-14 },
    );
    expect(matmul(w, A)).toBeAllclose(naive([w.toArray() as number[]], An), { rtol: 1e-13, atol: 1e-14 });
    expect(dot(v, v).item()).toBeCloseTo(
      (v.toArray() as number[]).reduce((s, x) => s + x * x, 0),
      12,
    );
  });

  test.each([
    [
      [3, 5],
      [5, 4],
    ],
    [[3, 5], [5]],
    [[5], [5, 4]],
    [[5], [5]],
    [
      [1, 7],
      [7, 1],
    ],
  ])("derivatives %j @ %j", (sa, sb) => {
    checkDerivatives((a, b) => matmul(a, b), [rng.randn(sa), rng.randn(sb)]);
  });

  test("gradient of sum(A x) with constant A is A^T 1, and no outer product is formed for A", () => {
    const A = rng.randn([4, 3]);
    const x = rng.randn([3]);
    const g = grad((t) => sum(matmul(A, t)))(x);
    const colSums = [0, 1, 2].map((j) => [0, 1, 2, 3].reduce((s, i) => s + A.data[i * 3 + j], 0));
    expect(g).toBeAllclose(colSums, { rtol: 1e-13, atol: 1e-14 });
    // Only x is differentiated: the pullback returns one cotangent (A's would be [4,3]).
    const [, pullback] = vjp((t: Tensor) => matmul(A, t), x);
    expect(pullback(tensor([1, 1, 1, 1])).map((c) => c.shape)).toEqual([[3]]);
  });

  test("shape errors name the op and both shapes", () => {
    expect(() => matmul(rng.randn([3, 4]), rng.randn([5, 2]))).toThrow("matmul: inner dimensions differ: [3,4] @ [5,2]");
    expect(() => matmul(rng.randn([2, 2, 2]), rng.randn([2]))).toThrow("matmul: expected 1-D or 2-D operands, got [2,2,2] @ [2]");
  });
});
