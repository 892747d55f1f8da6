/** @file `det` primitive: closed forms, permutation sign, derivatives (Jacobi's formula), errors. */
import { describe, expect, test } from "vitest";
import { det, grad, hessian, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";
import { randomWellConditioned } from "./linalg.js";

describe("det", () => {
  test("forward: 2x2 and 3x3 closed forms, a permutation, the identity", () => {
    expect(
      det(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).item(),
    ).toBeCloseTo(-2, 14);
    expect(
      det(
        tensor([
          [0, 1],
          [1, 0],
        ]),
      ).item(),
    ).toBe(-1);
    const m = [
      [2, -1, 0],
      [1, 3, 2],
      [0, 1, 4],
    ];
    const closed = 2 * (3 * 4 - 2 * 1) - -1 * (1 * 4 - 2 * 0) + 0;
    expect(det(tensor(m)).item()).toBeCloseTo(closed, 12);
  });

  test("derivatives; the 2x2 gradient is the cofactor matrix", () => {
    checkDerivatives((x) => det(x), [randomWellConditioned(4, 17)]);
    expect(
      grad(det)(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBeAllclose(
      [
        [4, -3],
        [-2, 1],
      ],
      { rtol: 1e-12, atol: 1e-12 },
    );
  });

  test("a singular matrix: det is exactly 0 and its gradient is the cofactor matrix", () => {
    expect(
      Math.abs(
        det(
          tensor([
            [1, 2],
            [2, 4],
          ]),
        ).item(),
      ),
    ).toBe(0);
    expect(
      Math.abs(
        det(
          tensor([
            [0, 0],
            [0, 0],
          ]),
        ).item(),
      ),
    ).toBe(0);
    // d det / dX = adj(X)^T = [[d, -c], [-b, a]] for [[a, b], [c, d]].
    expect(
      grad(det)(
        tensor([
          [1, 2],
          [2, 4],
        ]),
      ),
    ).toBeAllclose(
      [
        [4, -2],
        [-2, 1],
      ],
      { rtol: 0, atol: 1e-15 },
    );
    // Rank 1 in 3x3: every 2x2 minor of [[1,2,3],[2,4,6],[1,1,1]] with rows 0 and 1 vanishes.
    const s = [
      [1, 2, 3],
      [2, 4, 6],
      [1, 1, 1],
    ];
    const minor = (r: number[], c: number[]) => s[r[0]!]![c[0]!]! * s[r[1]!]![c[1]!]! - s[r[0]!]![c[1]!]! * s[r[1]!]![c[0]!]!;
    const others = (k: number) => [0, 1, 2].filter((t) => t !== k);
    const cof = [0, 1, 2].map((i) => [0, 1, 2].map((j) => ((i + j) % 2 ? -1 : 1) * minor(others(i), others(j))));
    expect(grad(det)(tensor(s))).toBeAllclose(cof, { rtol: 0, atol: 1e-12 });
    // Second order at a singular matrix: the Hessian-vector product against central differences.
    checkDerivatives((x) => det(x), [tensor(s)]);
  });

  test("a singular matrix whose computed det is a rounding error: gradient and Hessian from the minors", () => {
    // LU gives det [[1..9]] = 6.7e-16, not 0; the inverse it would take is rounding error (1e16 entries).
    const s = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ];
    const at = (r: number, c: number) => s[r]![c]!;
    const others = (k: number) => [0, 1, 2].filter((t) => t !== k);
    const cof = [0, 1, 2].map((i) =>
      [0, 1, 2].map((j) => {
        const [r0, r1] = others(i);
        const [c0, c1] = others(j);
        return ((i + j) % 2 ? -1 : 1) * (at(r0!, c0!) * at(r1!, c1!) - at(r0!, c1!) * at(r1!, c0!));
      }),
    );
    expect(grad(det)(tensor(s))).toBeAllclose(cof, { rtol: 0, atol: 1e-13 });
    // ∂² det / ∂x_ij ∂x_kl = 0 when i = k or j = l, else ± the entry left over by rows i, k and
    // columns j, l, with the sign of the permutation (i→j, k→l, m→n).
    const sign3 = (p: number[]) => (p[0]! < p[1]! ? 1 : -1) * (p[0]! < p[2]! ? 1 : -1) * (p[1]! < p[2]! ? 1 : -1);
    const want: number[] = [];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < 3; k++)
          for (let l = 0; l < 3; l++) {
            if (i === k || j === l) {
              want.push(0);
              continue;
            }
            const m = 3 - i - k;
            const n = 3 - j - l;
            const perm = [0, 0, 0];
            perm[i] = j;
            perm[k] = l;
            perm[m] = n;
            want.push(sign3(perm) * at(m, n));
          }
    expect(hessian(det)(tensor(s)).reshape([81])).toBeAllclose(want, { rtol: 0, atol: 1e-12 });
  });

  test("a NaN or infinite entry stays in its own minors: the other cofactors are exact", () => {
    const g = grad(det)(
      tensor([
        [NaN, 1],
        [2, 3],
      ]),
    ).toArray() as number[][];
    expect([g[0]![0], g[0]![1], g[1]![0]]).toEqual([3, -2, -1]);
    expect(Number.isNaN(g[1]![1])).toBe(true);
    expect(
      grad(det)(
        tensor([
          [Infinity, 0],
          [0, 1],
        ]),
      ),
    ).toBeAllclose(
      [
        [1, 0],
        [0, Infinity],
      ],
      { rtol: 0, atol: 0 },
    );
  });

  test("non-square is an error naming the op", () => {
    expect(() => det(tensor([[1, 2, 3]]))).toThrow("det: expected a square matrix, got [1,3]");
  });
});
