/** @file The by-hand hook: every autodiff transform is noticed inside byHand, nothing outside it. */
import { describe, expect, it } from "vitest";
import {
  AutodiffInByHandError,
  byHand,
  dot,
  exp,
  gradcheck,
  grad,
  hessian,
  hvp,
  jacfwd,
  jacrev,
  jvp,
  log1p,
  mul,
  sigmoid,
  tensor,
  valueAndGrad,
  vjp,
  type Tensor,
} from "gradlab";

const a = tensor([1, -2, 0.5]);
const x = tensor([0.1, 0.2, 0.3]);
const f = (v: Tensor) => log1p(exp(dot(a, v)));
const byHandGradient = (v: Tensor) => mul(sigmoid(dot(a, v)), a);

describe("byHand", () => {
  it("returns a hand-written formula's value, equal to the closed form sigma(<a,x>) a", () => {
    const s = 1 / (1 + Math.exp(-(0.1 - 0.4 + 0.15)));
    expect(byHand("ex", () => byHandGradient(x)).toArray()).toEqual([s, -2 * s, 0.5 * s].map((v) => expect.closeTo(v, 14)));
  });

  const calls: [string, () => unknown][] = [
    ["grad", () => grad(f)(x)],
    ["valueAndGrad", () => valueAndGrad(f)(x)],
    ["vjp", () => vjp(f, x)],
    ["jvp", () => jvp(f, [x], [x])],
    ["hvp", () => hvp(f, x, x)],
    ["jacfwd", () => jacfwd(f)(x)],
    ["jacrev", () => jacrev(f)(x)],
    ["hessian", () => hessian(f)(x)],
    ["gradcheck", () => gradcheck(f, x)],
  ];
  it.each(calls)("fails an answer that calls %s, naming it", (name, call) => {
    expect(() => byHand("ex-1", call)).toThrow(AutodiffInByHandError);
    expect(() => byHand("ex-1", call)).toThrow(`ex-1: your answer calls ${name} (autodiff)`);
    // Outside byHand the same call runs as usual.
    expect(() => call()).not.toThrow();
  });

  it("fails even when the answer catches the error and returns something else", () => {
    const sly = () => {
      try {
        return grad(f)(x);
      } catch {
        return byHandGradient(x);
      }
    };
    expect(() => byHand("ex-2", sly)).toThrow("ex-2: your answer calls grad");
  });

  it("creating a transform is not running it; running it later inside byHand is noticed", () => {
    const g = byHand("ex-3", () => grad(f));
    expect(() => byHand("ex-3", () => g(x))).toThrow("calls grad");
    expect(g(x).shape).toEqual([3]);
  });

  it("passes other errors through and leaves no scope open after a throw", () => {
    expect(() =>
      byHand("ex-4", () => {
        throw new Error("TODO: your formula");
      }),
    ).toThrow("TODO: your formula");
    expect(() => grad(f)(x)).not.toThrow();
  });
});
