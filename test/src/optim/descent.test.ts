/** @file descentPath (what `playground` draws): gradient descent and Newton iterates against closed forms on quadratics. */
import { describe, expect, it } from "vitest";
import { add, descentPath, dot, matmul, mul, square, sub, sum, tensor, type Tensor } from "../../../src/index.js";

/** Agreement of iterates computed two ways (a few roundings per step). */
const TOL = 1e-12;

type M = [[number, number], [number, number]];
const A: M = [
  [1, 0.5],
  [0.5, 3],
];
const bVec: [number, number] = [1, -2];
const At = tensor(A);
const bt = tensor(bVec);
/** q(v) = ½ vᵀAv − bᵀv: ∇q = Av − b, ∇²q = A, minimum A⁻¹b. */
const q = (v: Tensor) => sub(mul(0.5, dot(v, matmul(At, v))), dot(bt, v));
const apply = (m: M, [x, y]: [number, number]): [number, number] => [m[0][0] * x + m[0][1] * y, m[1][0] * x + m[1][1] * y];
const minimum: [number, number] = (() => {
  const det = A[0][0] * A[1][1] - A[0][1] * A[1][0];
  return apply(
    [
      [A[1][1] / det, -A[0][1] / det],
      [-A[1][0] / det, A[0][0] / det],
    ],
    bVec,
  );
})();

function expectPoints(got: [number, number][], want: [number, number][]): void {
  expect(got).toHaveLength(want.length);
  got.forEach((p, k) => {
    expect(Math.abs(p[0] - want[k]![0])).toBeLessThan(TOL * Math.max(1, Math.abs(want[k]![0])));
    expect(Math.abs(p[1] - want[k]![1])).toBeLessThan(TOL * Math.max(1, Math.abs(want[k]![1])));
  });
}

describe("descentPath", () => {
  it("gradient descent on a quadratic: x_{k+1} = x_k − lr (A x_k − b)", () => {
    const lr = 0.3;
    const want: [number, number][] = [[1.5, 1]];
    for (let k = 0; k < 25; k++) {
      const [gx, gy] = apply(A, want[k]!).map((v, i) => v - bVec[i]!) as [number, number];
      want.push([want[k]![0] - lr * gx, want[k]![1] - lr * gy]);
    }
    const path = descentPath(q, [1.5, 1], { lr, steps: 25 });
    expectPoints(path.points, want);
    expect(path.stopped).toBeUndefined();
    path.values.forEach((v, k) => expect(v).toBeCloseTo(q(tensor(want[k]!)).item(), 12));
    // Without the linear term, the closed form x_k = (I − lr A)^k x_0.
    const pure = descentPath((v: Tensor) => mul(0.5, dot(v, matmul(At, v))), [1.5, 1], { lr, steps: 25 });
    const iMinus: M = [
      [1 - lr * A[0][0], -lr * A[0][1]],
      [-lr * A[1][0], 1 - lr * A[1][1]],
    ];
    const powers: [number, number][] = [[1.5, 1]];
    for (let k = 0; k < 25; k++) powers.push(apply(iMinus, powers[k]!));
    expectPoints(pure.points, powers);
  });

  it("Newton on a quadratic reaches A⁻¹b in one step; damped Newton contracts by (1 − lr) per step", () => {
    const one = descentPath(q, [1.5, 1], { method: "newton", lr: 1, steps: 3 });
    expectPoints(one.points, [[1.5, 1], minimum, minimum, minimum]);
    const damped = descentPath(q, [1.5, 1], { method: "newton", lr: 0.5, steps: 6 });
    const want = Array.from({ length: 7 }, (_, k): [number, number] => [
      minimum[0] + 0.5 ** k * (1.5 - minimum[0]),
      minimum[1] + 0.5 ** k * (1 - minimum[1]),
    ]);
    expectPoints(damped.points, want);
  });

  it("takes f(x, y) of two scalars as well as f(v) of a vector", () => {
    const two = (x: Tensor, y: Tensor) => add(square(x), mul(3, square(y)));
    const vec = (v: Tensor) => sum(mul(tensor([1, 3]), square(v)));
    expect(descentPath(two, [1, -1], { lr: 0.1, steps: 10 }).points).toEqual(descentPath(vec, [1, -1], { lr: 0.1, steps: 10 }).points);
    // On x² + 3y²: gradient descent multiplies x by 1 − 2 lr and y by 1 − 6 lr.
    const path = descentPath(two, [1, -1], { lr: 0.1, steps: 10 });
    expectPoints(
      path.points,
      Array.from({ length: 11 }, (_, k): [number, number] => [0.8 ** k, -(0.4 ** k)]),
    );
  });

  it("stops at a diverging iterate and at a singular Hessian, saying why", () => {
    // 1 − 2 lr = −2: x_k = y_k = (−2)^k, so f = 2·4^k passes 1e12 first at k = 20.
    const wild = descentPath((x: Tensor, y: Tensor) => add(square(x), square(y)), [1, 1], { lr: 1.5, steps: 100 });
    expect(wild.points).toHaveLength(20);
    expect(wild.points.at(-1)).toEqual([(-2) ** 19, (-2) ** 19]);
    expect(wild.stopped).toMatch(/^step 20: diverged/);
    const flat = descentPath((x: Tensor, y: Tensor) => add(square(x), mul(0, y)), [1, 1], { method: "newton", lr: 1, steps: 5 });
    expect(flat.points).toEqual([[1, 1]]);
    expect(flat.stopped).toMatch(/^step 1: the Hessian is singular/);
  });

  it("rejects bad options with the reason", () => {
    expect(() => descentPath(q, [1, 1], { method: "adam" as never })).toThrow('descentPath: expected method "gd" or "newton", got "adam"');
    expect(() => descentPath(q, [1, 1], { steps: -1 })).toThrow("descentPath: expected steps to be a whole number >= 0, got -1");
    expect(() => descentPath(q, [1, Number.NaN])).toThrow("descentPath: expected a start point [x, y] of finite numbers");
    expect(() => descentPath((v: Tensor) => v, [1, 1])).toThrow("descentPath: expected f to return a scalar, got shape [2]");
  });
});
