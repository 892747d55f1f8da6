/** @file `max` primitive: forward with broadcasting, derivatives for every broadcast pattern, errors. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, grad, maximum, sum, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";

const rng = new Rng(21);
const domainA = (t: Tensor): Tensor => new Tensor(t.data.map((a) => a), t.shape);
const domainB = (t: Tensor): Tensor => new Tensor(t.data.map((b) => b), t.shape);
const reference: (a: number, b: number) => number = (a, b) => Math.max(a, b);
/** Shape pairs covering equal shapes, scalars on either side, trailing and middle broadcasts. */
const PAIRS: [number[], number[], number[]][] = [
  [[3, 4], [3, 4], [3, 4]],
  [[3, 4], [], [3, 4]],
  [[], [2, 3], [2, 3]],
  [[3, 4], [4], [3, 4]],
  [[3, 1], [1, 4], [3, 4]],
  [[2, 1, 3], [4, 1], [2, 4, 3]],
];

describe("max", () => {
  test("forward matches the reference with numpy broadcasting", () => {
    const a = domainA(tensor([[1.5, -2], [0.25, 3]]));
    const b = domainB(tensor([0.5, -1.25]));
    const y = maximum(a, b);
    expect(y.shape).toEqual([2, 2]);
    const expected = [0, 1].map((i) => [0, 1].map((j) => reference(a.data[2 * i + j], b.data[j])));
    expect(y).toBeAllclose(expected, { rtol: 1e-15, atol: 0 });
  });

  test.each(PAIRS)("derivatives for %j with %j (output %j)", (sa, sb, out) => {
    const a = domainA(rng.randn(sa));
    const b = domainB(rng.randn(sb));
    expect(maximum(a, b).shape).toEqual(out);
    checkDerivatives((x, y) => maximum(x, y), [a, b]);
  });

  test("each gradient has its input's shape (sums over broadcast axes)", () => {
    const a = domainA(rng.randn([3, 1]));
    const b = domainB(rng.randn([4]));
    const [ga, gb] = grad((x, y) => sum(maximum(x, y)), { argnums: [0, 1] })(a, b);
    expect(ga.shape).toEqual([3, 1]);
    expect(gb.shape).toEqual([4]);
  });

  test("incompatible shapes raise an error naming the op and both shapes", () => {
    expect(() => maximum(tensor([1, 2, 3]), tensor([1, 2]))).toThrow("maximum: shapes cannot be broadcast: [3] and [2]");
  });

  test("ties split the derivative half and half; away from ties it follows the larger input", () => {
    const [gx, gy] = grad((x, y) => maximum(x, y), { argnums: [0, 1] })(2, 2);
    expect([gx.item(), gy.item()]).toEqual([0.5, 0.5]);
    const [hx, hy] = grad((x, y) => maximum(x, y), { argnums: [0, 1] })(3, 1);
    expect([hx.item(), hy.item()]).toEqual([1, 0]);
  });
});
