/** @file `index` primitive (src/primitives/index_.ts): leading-axis slices, derivatives, errors. */
import { describe, expect, test } from "vitest";
import { Rng, index, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";

describe("index", () => {
  test("forward takes a slice along the leading axis; negative counts from the end", () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(index(x, 1).toArray()).toEqual([3, 4]);
    expect(index(x, -1).toArray()).toEqual([5, 6]);
    expect(index(tensor([7, 8]), 0).item()).toBe(7);
  });

  test("derivatives", () => {
    checkDerivatives((t) => index(t, 2), [new Rng(111).randn([4, 3])]);
  });

  test("out of range names the op", () => {
    expect(() => index(tensor([1, 2]), 2)).toThrow("index: expected an index in [0, 2) for shape [2], got 2");
  });
});
