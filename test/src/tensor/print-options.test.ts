/** @file setPrintOptions: numpy's precision for tensors (checked against numpy), significant digits of step tables and gradcheck (against closed forms). */
import { afterEach, describe, expect, test } from "vitest";
import {
  backprop,
  dot,
  exp,
  forward,
  getPrintOptions,
  traceGraph,
  gradcheck,
  log1p,
  mul,
  resetPrintOptions,
  setPrintOptions,
  sigmoid,
  tensor,
  type Tensor,
} from "gradlab";
import { forwardSteps } from "../../../src/graph/steps.js";

afterEach(() => {
  resetPrintOptions();
});

/** Every decimal number in a text, in order. */
const numbers = (text: string): number[] => (text.match(/-?\d+\.\d+(?:e[+-]?\d+)?/g) ?? []).map(Number);

describe("setPrintOptions", () => {
  test("defaults, a copy on get, and the reset", () => {
    expect(getPrintOptions()).toEqual({ precision: null, linewidth: 100 });
    setPrintOptions({ precision: 12 });
    const got = getPrintOptions();
    got.precision = 3;
    expect(getPrintOptions().precision).toBe(12);
    setPrintOptions({ linewidth: 60 });
    expect(getPrintOptions()).toEqual({ precision: 12, linewidth: 60 });
    setPrintOptions({ precision: null });
    expect(getPrintOptions()).toEqual({ precision: null, linewidth: 60 });
    expect(resetPrintOptions()).toEqual({ precision: null, linewidth: 100 });
  });

  test("bad values are rejected with what was expected", () => {
    expect(() => setPrintOptions({ precision: 0 })).toThrow(
      "setPrintOptions: expected precision to be an integer from 1 to 17 (digits) or null (the defaults), got 0",
    );
    expect(() => setPrintOptions({ precision: 2.5 })).toThrow(/got 2.5/);
    expect(() => setPrintOptions({ precision: 18 })).toThrow(/from 1 to 17/);
    expect(() => setPrintOptions({ linewidth: 5 })).toThrow(
      "setPrintOptions: expected linewidth to be an integer of at least 20 (characters), got 5",
    );
    expect(getPrintOptions()).toEqual({ precision: null, linewidth: 100 });
  });

  test("tensors print with numpy's precision (decimals; default 8), as numpy 2.4 prints the same array", () => {
    // numpy: np.set_printoptions(precision=p, floatmode="maxprec_equal"); repr(np.array([1/3, -2/7, 1e3/7]))
    const t = tensor([1 / 3, -2 / 7, 1e3 / 7]);
    expect(String(t)).toBe("tensor([  0.33333333,  -0.28571429, 142.85714286])");
    setPrintOptions({ precision: 3 });
    expect(String(t)).toBe("tensor([  0.333,  -0.286, 142.857])");
    setPrintOptions({ precision: 12 });
    expect(String(t)).toBe("tensor([  0.333333333333,  -0.285714285714, 142.857142857143])");
    expect(String(tensor([1e-9, 1 / 3]))).toBe("tensor([1.000000000000e-09, 3.333333333333e-01])");
    setPrintOptions({ precision: 17 });
    expect(String(t)).toBe("tensor([  0.3333333333333333,  -0.2857142857142857, 142.8571428571428612])");
  });

  test("long rows wrap at the linewidth as numpy's do, every entry kept", () => {
    const xs = Array.from({ length: 30 }, (_, k) => Math.sin(k + 1));
    setPrintOptions({ precision: 12 });
    for (const t of [tensor(xs), tensor(xs).reshape([3, 10])]) {
      const text = String(t);
      expect(text.split("\n").length).toBeGreaterThan(3);
      expect(Math.max(...text.split("\n").map((l) => l.length))).toBeLessThanOrEqual(100);
      numbers(text).forEach((v, k) => expect(Math.abs(v - xs[k])).toBeLessThanOrEqual(0.5e-12));
      expect(numbers(text)).toHaveLength(30);
    }
  });

  test("%backprop's tables at precision 12 show the gradients to 1e-12 (closed form), at the default to 4 digits", () => {
    // f(x, w, b) = (σ(wᵀx + b) − 1)² / 2 (seminar item 3 without the penalty):
    // ∂f/∂w = r s (1 − s) x, ∂f/∂x = r s (1 − s) w, ∂f/∂b = r s (1 − s), s = σ(wᵀx + b), r = s − 1.
    const xv = [1, 2, -1];
    const wv = [0.5, -0.3, 0.2];
    const bv = 0.4;
    const z = xv.reduce((acc, xi, k) => acc + xi * wv[k], bv);
    const s = 1 / (1 + Math.exp(-z));
    const c = (s - 1) * s * (1 - s);
    const expected = [...wv.map((wi) => c * wi), ...xv.map((xi) => c * xi), c];
    const f = (x: Tensor, w: Tensor, b: Tensor) => mul(0.5, mul(sigmoid(dot(w, x).add(b)).sub(1), sigmoid(dot(w, x).add(b)).sub(1)));
    const shownGradients = () => {
      const text = backprop(f, tensor(xv), tensor(wv), tensor(bv)).toString();
      const table = text.slice(text.indexOf("Gradients with respect to the inputs"));
      return numbers(table);
    };
    const errors = (got: number[]) => got.map((g, k) => Math.abs(g - expected[k]));
    expect(shownGradients()).toHaveLength(7);
    expect(Math.max(...errors(shownGradients()))).toBeGreaterThan(1e-6); // 4 digits by default
    setPrintOptions({ precision: 12 });
    expect(Math.max(...errors(shownGradients()))).toBeLessThan(1e-12);
  });

  test("%forward's table at precision 12 ends with df/dx to 12 significant digits (closed form)", () => {
    // f(x) = sin(x0) x1 + x1²: df/dx = [cos(x0) x1, sin(x0) + 2 x1]
    const xv = [0.7, -1.3];
    const expected = [Math.cos(xv[0]) * xv[1], Math.sin(xv[0]) + 2 * xv[1]];
    const f = (x: Tensor) =>
      x
        .index(0)
        .sin()
        .mul(x.index(1))
        .add(x.index(1).mul(x.index(1)));
    const lastTangent = () => {
      const rows = forwardSteps(forward(traceGraph(f, tensor(xv)), 0)).rows;
      return numbers(rows[rows.length - 1][4]);
    };
    // relative error: p significant digits are exact to half a unit of the p-th digit, 5e-12 for p = 12
    const err = () => Math.max(...lastTangent().map((v, k) => Math.abs(v - expected[k]) / Math.abs(expected[k])));
    expect(lastTangent()).toHaveLength(2);
    expect(err()).toBeGreaterThan(1e-6);
    setPrintOptions({ precision: 12 });
    expect(err()).toBeLessThanOrEqual(5e-12);
  });

  test("gradcheck tables follow the precision (autodiff vs σ(⟨a,x⟩)a)", () => {
    const a = tensor([1, -2, 0.5]);
    const x = tensor([0.3, 0.1, -0.4]);
    const logreg = (v: Tensor) => log1p(exp(dot(a, v)));
    const s = 1 / (1 + Math.exp(-(0.3 - 0.2 - 0.2)));
    const expected = [1, -2, 0.5].map((ai) => s * ai);
    setPrintOptions({ precision: 15 });
    const rows = gradcheck(logreg, x)
      .toString()
      .split("\n")
      .filter((l) => /^\[\d\]/.test(l));
    const autodiff = rows.map((l) => Number(l.split(/\s+/)[1]));
    expect(autodiff).toHaveLength(3);
    autodiff.forEach((v, k) => expect(Math.abs(v - expected[k])).toBeLessThan(1e-14));
  });
});
