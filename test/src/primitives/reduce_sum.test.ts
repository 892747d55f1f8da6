/** @file `reduce_sum` primitive (via `sum`): axes, keepdims, derivatives, errors. */
import { describe, expect, test } from "vitest";
import { Rng, grad, sum, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";

const rng = new Rng(31);

describe("reduce_sum", () => {
  test("forward over all axes, one axis, several axes, negative axes, keepdims", () => {
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
    expect(sum(x).item()).toBe(36);
    expect(sum(x, 0).toArray()).toEqual([
      [6, 8],
      [10, 12],
    ]);
    expect(sum(x, 1).toArray()).toEqual([
      [4, 6],
      [12, 14],
    ]);
    expect(sum(x, -1).toArray()).toEqual([
      [3, 7],
      [11, 15],
    ]);
    expect(sum(x, [0, 2]).toArray()).toEqual([14, 22]);
    expect(sum(x, 1, true).shape).toEqual([2, 1, 2]);
  });

  test.each([[undefined], [0], [1], [[0, 2]], [-1]])("derivatives for axis %j", (axis) => {
    checkDerivatives((t) => sum(t, axis as number | number[] | undefined), [rng.randn([2, 3, 4])]);
  });

  test("gradient of a sum is ones of the input's shape", () => {
    expect(
      grad((t) => sum(t))(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  test("an out-of-range axis names the op", () => {
    expect(() => sum(tensor([1, 2]), 1)).toThrow("sum: expected an axis in [-1, 1), got 1");
  });
});
