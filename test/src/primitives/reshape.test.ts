/** @file `reshape` primitive: forward (shares storage), -1 inference, derivatives, errors. */
import { describe, expect, test } from "vitest";
import { Rng, reshape, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";

describe("reshape", () => {
  test("forward keeps row-major order; -1 is inferred", () => {
    const x = tensor([1, 2, 3, 4, 5, 6]);
    expect(reshape(x, [2, 3]).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(reshape(x, [3, -1]).shape).toEqual([3, 2]);
    expect(reshape(tensor(5), [1, 1]).toArray()).toEqual([[5]]);
  });

  test("derivatives", () => {
    checkDerivatives((t) => reshape(t, [4, 3]), [new Rng(51).randn([2, 6])]);
  });

  test("a size mismatch names the op and both shapes", () => {
    expect(() => reshape(tensor([1, 2, 3]), [2, 2])).toThrow("reshape: cannot reshape [3] into [2,2]");
    expect(() => reshape(tensor([1, 2, 3]), [2, -1])).toThrow("reshape: cannot reshape [3] into [2,-1]");
  });
});
