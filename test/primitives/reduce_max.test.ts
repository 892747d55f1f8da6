/** @file `reduce_max` primitive (via `max`): forward, derivatives, ties, errors. */
import { describe, expect, test } from "vitest";
import { Rng, grad, max, sum, tensor, zeros } from "gradlab";
import { checkDerivatives } from "./check.js";

const rng = new Rng(41);

describe("reduce_max", () => {
  test("forward over all axes and per axis, NaN propagates", () => {
    const x = tensor([[1, 5, 2], [7, 0, 3]]);
    expect(max(x).item()).toBe(7);
    expect(max(x, 0).toArray()).toEqual([7, 5, 3]);
    expect(max(x, 1).toArray()).toEqual([5, 7]);
    expect(max(x, 1, true).shape).toEqual([2, 1]);
    expect(Number.isNaN(max(tensor([1, NaN, 2])).item())).toBe(true);
  });

  test.each([[undefined], [0], [1]])("derivatives for axis %j (no ties)", (axis) => {
    checkDerivatives((t) => max(t, axis as number | undefined), [rng.randn([3, 4])]);
  });

  test("the gradient flows to the maximising entry; ties share it equally", () => {
    expect(grad((t) => max(t))(tensor([1, 3, 2])).toArray()).toEqual([0, 1, 0]);
    expect(grad((t) => max(t))(tensor([3, 1, 3])).toArray()).toEqual([0.5, 0, 0.5]);
    expect(grad((t) => sum(max(t, 1)))(tensor([[1, 2], [4, 3]])).toArray()).toEqual([[0, 1], [1, 0]]);
  });

  test("an empty axis is an error naming the op", () => {
    expect(() => max(zeros([2, 0]), 1)).toThrow("max: cannot reduce over an empty axis of shape [2,0]");
  });
});
