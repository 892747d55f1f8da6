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

  test("seeds are integers from 0 to 2 ** 32 - 1: others would repeat another seed's numbers, so they are errors", () => {
    const range = "expected the seed to be an integer from 0 to 2 ** 32 - 1 (4294967295)";
    // -1 and 2 ** 32 - 1, 0.5 and 0, 2 ** 32 and 0 shared one 32-bit state
    expect(() => randn([3], { seed: -1 })).toThrow(`randn: ${range}, got -1`);
    expect(() => randn([3], { seed: 0.5 })).toThrow(`randn: ${range}, got 0.5`);
    expect(() => rand([3], { seed: 2 ** 32 })).toThrow(`rand: ${range}, got 4294967296`);
    expect(() => rand([3], { seed: Infinity })).toThrow(`rand: ${range}, got Infinity`);
    expect(() => randn([3], { seed: "7" as unknown as number })).toThrow(`randn: ${range}, got "7" (a string)`);
    expect(() => new Rng(-1)).toThrow(`Rng: ${range}, got -1`);
    expect(() => new Rng(1.5)).toThrow(`Rng: ${range}, got 1.5`);
    // the ends of the range are distinct streams
    const last = randn([4], { seed: 2 ** 32 - 1 }).toArray();
    expect(last).toEqual(new Rng(2 ** 32 - 1).randn([4]).toArray());
    expect(last).not.toEqual(randn([4], { seed: 0 }).toArray());
    expect(new Rng().randn([4]).toArray()).toEqual(randn([4], { seed: 0 }).toArray());
  });

  test("bad seeds and shapes are clear errors", () => {
    expect(() => new Rng(NaN)).toThrow("Rng: expected the seed to be an integer from 0 to 2 ** 32 - 1 (4294967295), got NaN");
    expect(() => randn([1.5])).toThrow("randn: expected a shape of non-negative integers, got [1.5]");
  });
});
