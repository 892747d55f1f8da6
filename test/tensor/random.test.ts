/** @file The seeded generator: reproducibility, ranges and moments. */
import { describe, expect, test } from "vitest";
import { Rng, rand, randn } from "gradlab";

describe("random", () => {
  test("the same seed gives the same data; different seeds differ", () => {
    expect(randn([5], { seed: 3 }).toArray()).toEqual(randn([5], { seed: 3 }).toArray());
    expect(randn([5], { seed: 3 }).toArray()).not.toEqual(randn([5], { seed: 4 }).toArray());
    expect(new Rng(9).rand([3]).toArray()).toEqual(rand([3], { seed: 9 }).toArray());
  });

  test("uniform entries lie in [low, high); normal entries have mean ~0 and variance ~1", () => {
    const u = rand([10000], { seed: 1, low: -2, high: 3 });
    expect(Math.min(...u.data)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u.data)).toBeLessThan(3);
    const z = randn([100000], { seed: 2 }).data;
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    // Standard errors: 1/sqrt(n) ~ 0.003 for the mean, sqrt(2/n) ~ 0.0045 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.015);
    expect(Math.abs(variance - 1)).toBeLessThan(0.025);
  });

  test("bad seeds and shapes are clear errors", () => {
    expect(() => new Rng(NaN)).toThrow("Rng: expected a finite seed, got NaN");
    expect(() => randn([1.5])).toThrow("randn: expected a shape of non-negative integers, got [1.5]");
  });
});
