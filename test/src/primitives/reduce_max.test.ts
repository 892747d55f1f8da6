/** @file `reduce_max` primitive (via `max`): forward, derivatives, ties, errors. */
import { describe, expect, test } from "vitest";
import { Rng, grad, hessian, jacfwd, max, sum, tensor, zeros } from "gradlab";
import { checkDerivatives } from "./check.js";

const rng = new Rng(41);

describe("reduce_max", () => {
  test("forward over all axes and per axis, NaN propagates", () => {
    const x = tensor([
      [1, 5, 2],
      [7, 0, 3],
    ]);
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
    expect(
      grad((t) => sum(max(t, 1)))(
        tensor([
          [1, 2],
          [4, 3],
        ]),
      ).toArray(),
    ).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  test("infinite maxima: the mask compares entries with the maximum, never forming ∞ - ∞", () => {
    expect(grad((t) => max(t))(tensor([Infinity, 1])).toArray()).toEqual([1, 0]);
    expect(jacfwd((t) => max(t))(tensor([Infinity, 1])).toArray()).toEqual([1, 0]);
    expect(grad((t) => max(t))(tensor([Infinity, 1, Infinity])).toArray()).toEqual([0.5, 0, 0.5]);
    expect(grad((t) => max(t))(tensor([-Infinity, -Infinity])).toArray()).toEqual([0.5, 0.5]);
    expect(
      grad((t) => sum(max(t, 1)))(
        tensor([
          [Infinity, 1],
          [2, 2],
        ]),
      ).toArray(),
    ).toEqual([
      [1, 0],
      [0.5, 0.5],
    ]);
    expect(hessian((t) => max(t))(tensor([Infinity, 1])).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  test("a slice whose maximum is NaN has NaN derivatives (as torch.amax); other slices are unaffected", () => {
    const g = grad((t) => sum(max(t, 1)))(
      tensor([
        [NaN, 1],
        [2, 3],
      ]),
    ).toArray() as number[][];
    expect(g[0]!.every(Number.isNaN)).toBe(true);
    expect(g[1]).toEqual([0, 1]);
  });

  test("an empty axis is an error naming the op", () => {
    expect(() => max(zeros([2, 0]), 1)).toThrow("max: cannot reduce over an empty axis of shape [2,0]");
  });
});
