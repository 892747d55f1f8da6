/** @file `diag` primitive: vector <-> diagonal, derivatives both ways, errors. */
import { describe, expect, test } from "vitest";
import { Rng, diag, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";

describe("diag", () => {
  test("forward: vector -> diagonal matrix, square matrix -> diagonal", () => {
    expect(diag(tensor([1, 2])).toArray()).toEqual([
      [1, 0],
      [0, 2],
    ]);
    expect(
      diag(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([1, 4]);
  });

  test("derivatives in both directions", () => {
    const rng = new Rng(91);
    checkDerivatives((t) => diag(t), [rng.randn([4])]);
    checkDerivatives((t) => diag(t), [rng.randn([3, 3])]);
  });

  test("a non-square matrix names the op and the shape", () => {
    expect(() => diag(tensor([[1, 2, 3]]))).toThrow("diag: expected a 1-D vector or a square matrix, got [1,3]");
  });
});
