/** @file Shape utilities: broadcasting rules, strides, axis normalisation, errors. */
import { describe, expect, test } from "vitest";
import { broadcastShapes, broadcastStrides, normalizeAxes, sizeOf, stridesOf } from "../../../src/tensor/shape.js";

describe("shape utilities", () => {
  test("numpy broadcasting", () => {
    expect(broadcastShapes("op", [3, 1], [4])).toEqual([3, 4]);
    expect(broadcastShapes("op", [], [2, 3])).toEqual([2, 3]);
    expect(broadcastShapes("op", [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(() => broadcastShapes("mul", [2, 3], [3, 2])).toThrow("mul: shapes cannot be broadcast: [2,3] and [3,2]");
  });

  test("sizes, strides and broadcast strides", () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([2, 0])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
  });

  test("axes: negative, duplicates, all, out of range", () => {
    expect(normalizeAxes("sum", [-1, 0, 0], 3)).toEqual([0, 2]);
    expect(normalizeAxes("sum", undefined, 2)).toEqual([0, 1]);
    expect(() => normalizeAxes("sum", 3, 3)).toThrow("sum: expected an axis in [-3, 3), got 3");
  });
});
