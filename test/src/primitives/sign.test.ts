/** @file `sign` primitive: forward vs Math.sign, zero derivative everywhere, NaN. */
import { describe, expect, test } from "vitest";
import { grad, jvp, mul, sign, sum, tensor } from "gradlab";

describe("sign", () => {
  test("forward matches Math.sign, NaN stays NaN", () => {
    expect(sign(tensor([-3, 0, 2.5])).toArray()).toEqual([-1, 0, 1]);
    expect(Number.isNaN(sign(NaN).item())).toBe(true);
  });

  test("derivative is a (symbolic) zero in both modes, with the input's shape", () => {
    const x = tensor([-1, 2, 3]);
    expect(jvp(sign, [x], [tensor([1, 1, 1])])[1].toArray()).toEqual([0, 0, 0]);
    const g = grad((t) => sum(mul(sign(t), t)))(x);
    expect(g.toArray()).toEqual([-1, 1, 1]);
  });
});
