/** @file `stack` primitive: forward, derivatives w.r.t. every input, errors. */
import { describe, expect, test } from "vitest";
import { Rng, stack, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";

describe("stack", () => {
  test("forward stacks along a new leading axis", () => {
    expect(stack([tensor([1, 2]), tensor([3, 4]), tensor([5, 6])]).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(stack([tensor(1), tensor(2)]).shape).toEqual([2]);
  });

  test("derivatives w.r.t. all inputs", () => {
    const rng = new Rng(101);
    checkDerivatives((a, b, c) => stack([a, b, c]), [rng.randn([2, 3]), rng.randn([2, 3]), rng.randn([2, 3])]);
  });

  test("mismatched shapes and empty lists are errors naming the op", () => {
    expect(() => stack([tensor([1, 2]), tensor([1])])).toThrow("stack: shapes differ: [2] and [1] (entry 1)");
    expect(() => stack([])).toThrow("stack: expected at least one tensor, got none");
  });
});
