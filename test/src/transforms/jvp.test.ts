/** @file `jvp`: directional derivatives, symbolic zeros, several primals, errors. */
import { describe, expect, test } from "vitest";
import { Tensor, exp, jvp, mul, sin, sum, tensor } from "gradlab";

describe("jvp", () => {
  test("d/dt sin(x + t v) = cos(x) v elementwise", () => {
    const [y, yDot] = jvp((x) => sin(x), [tensor([0, 1])], [tensor([2, 3])]);
    expect(y).toBeAllclose([0, Math.sin(1)], { rtol: 1e-15, atol: 0 });
    expect(yDot).toBeAllclose([2, 3 * Math.cos(1)], { rtol: 1e-15, atol: 0 });
  });

  test("several primals: the tangent is the sum of the partial pushforwards", () => {
    const [, t] = jvp((a: Tensor, b: Tensor) => sum(mul(a, exp(b))), [tensor([1, 2]), tensor([0, 1])], [tensor([1, 0]), tensor([0, 1])]);
    expect(t.item()).toBeCloseTo(1 + 2 * Math.E, 14);
  });

  test("an output independent of the input has a zero tangent of the output's shape", () => {
    const [y, t] = jvp(() => tensor([5, 6]), [tensor(1)], [tensor(1)]);
    expect(y.toArray()).toEqual([5, 6]);
    expect(t.toArray()).toEqual([0, 0]);
  });

  test("mismatched tangents are clear errors", () => {
    expect(() => jvp((x) => x, [tensor([1, 2])], [tensor([1])])).toThrow("jvp: tangent 0 has shape [1], expected [2] (its primal's shape)");
    expect(() => jvp((x) => x, [tensor(1)], [])).toThrow("jvp: expected as many tangents as primals, got 0 tangents for 1 primals");
  });
});
