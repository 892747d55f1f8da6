/** @file `mean` (built from sum) and keepdims behaviour of reductions. */
import { describe, expect, test } from "vitest";
import { grad, max, mean, sum, tensor } from "gradlab";

describe("reduction ops", () => {
  test("mean over all axes and per axis, keepdims", () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(mean(x).item()).toBe(3.5);
    expect(mean(x, 0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(mean(x, 1, true).toArray()).toEqual([[2], [5]]);
    expect(sum(x, [0, 1], true).shape).toEqual([1, 1]);
    expect(max(x, 0, true).shape).toEqual([1, 3]);
  });

  test("gradient of the mean is 1/n everywhere", () => {
    expect(
      grad((t) => mean(t))(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([
      [0.25, 0.25],
      [0.25, 0.25],
    ]);
  });
});
