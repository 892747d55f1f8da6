/** @file Shape ops: sumToShape undoes broadcasting (used by every broadcasting VJP rule). */
import { describe, expect, test } from "vitest";
import { ones, tensor } from "gradlab";
import { sumToShape } from "../../../src/ops/shape.js";

describe("sumToShape", () => {
  test("sums leading axes and axes broadcast from length 1", () => {
    expect(sumToShape(ones([3, 2]), [2]).toArray()).toEqual([3, 3]);
    expect(sumToShape(ones([3, 2]), [3, 1]).toArray()).toEqual([[2], [2], [2]]);
    expect(sumToShape(ones([2, 3, 4]), []).item()).toBe(24);
    const t = tensor([1, 2]);
    expect(sumToShape(t, [2])).toBe(t);
  });
});
