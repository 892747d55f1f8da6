/** @file `transpose` primitive: forward for matrices and permutations, derivatives, errors. */
import { describe, expect, test } from "vitest";
import { Rng, tensor, transpose } from "gradlab";
import { checkDerivatives } from "./check.js";

describe("transpose", () => {
  test("forward: matrix transpose by default, any permutation of axes", () => {
    expect(
      transpose(
        tensor([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const x = tensor([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(transpose(x, [1, 0, 2]).toArray()).toEqual([
      [
        [1, 2],
        [5, 6],
      ],
      [
        [3, 4],
        [7, 8],
      ],
    ]);
    expect(transpose(x, [2, 0, 1]).shape).toEqual([2, 2, 2]);
    expect(transpose(x, [2, 0, 1]).toArray()).toEqual([
      [
        [1, 3],
        [5, 7],
      ],
      [
        [2, 4],
        [6, 8],
      ],
    ]);
  });

  test.each([
    [
      [3, 4],
      [1, 0],
    ],
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [2, 3, 4],
      [0, 2, 1],
    ],
  ])("derivatives %j perm %j", (shape, perm) => {
    checkDerivatives((t) => transpose(t, perm), [new Rng(71).randn(shape)]);
  });

  test("a bad permutation names the op", () => {
    expect(() => transpose(tensor([[1, 2]]), [0, 0])).toThrow("transpose: expected a permutation of 0..1 for shape [1,2], got [0,0]");
  });
});
