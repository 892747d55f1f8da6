/** @file Nested transforms: no perturbation confusion, higher derivatives, stale tracers. */
import { describe, expect, test } from "vitest";
import { Tensor, add, cos, grad, jvp, mul, sin, sum, tensor } from "gradlab";

describe("nesting", () => {
  test("perturbation confusion: grad(x => x * grad(y => x * y)(2))(3) is 6", () => {
    expect(grad((x) => mul(x, grad((y) => mul(x, y))(2)))(3).item()).toBe(6);
  });

  test("autodidax's closure example: the derivative of a constant closure is 0", () => {
    // f(x) = x * d/dy[x] = x * 0, so f'(0) = 0 (it would be 1 if the inner jvp saw x's tangent).
    const derivative = (g: (t: Tensor) => Tensor, v: number): Tensor => jvp(g, [v], [1])[1];
    const f = (x: Tensor): Tensor =>
      mul(
        x,
        derivative(() => x, 0),
      );
    expect(derivative(f, 0).item()).toBe(0);
    expect(jvp(f, [0], [1]).map((t) => t.item())).toEqual([0, 0]);
  });

  test("higher derivatives of sin by grad, jvp and mixtures", () => {
    const v = 0.3;
    const d = (g: (t: Tensor) => Tensor) => (t: Tensor) => grad(g)(t);
    expect(d(d(d(sin)))(tensor(v)).item()).toBeCloseTo(-Math.cos(v), 14);
    expect(d(d(d(d(sin))))(tensor(v)).item()).toBeCloseTo(Math.sin(v), 14);
    const fwd = (g: (t: Tensor) => Tensor) => (t: Tensor) => jvp(g, [t], [1])[1];
    expect(fwd(d(fwd(sin)))(tensor(v)).item()).toBeCloseTo(-Math.cos(v), 14);
  });

  test("tracers that escape their transform behave as their values afterwards", () => {
    let leaked: Tensor = tensor(0);
    grad((x) => {
      leaked = mul(x, 2);
      return leaked;
    })(3);
    expect(add(leaked, 1).item()).toBe(7);
    expect(grad((x) => mul(x, leaked))(5).item()).toBe(6);
    expect(cos(leaked).item()).toBeCloseTo(Math.cos(6), 15);
  });
});

describe("returned values", () => {
  test("gradients and pullback results are concrete tensors (level 0), never leftover tracers", () => {
    const x = tensor([0.5, -1]);
    for (const g of [grad((t) => sum(mul(t, t)))(x), grad((t) => sum(sin(t)))(x), grad((t) => sum(t))(x)]) expect(g.level).toBe(0);
  });

  test("a function returning something other than a tensor is a clear error", () => {
    expect(() => grad(() => undefined as unknown as Tensor)(1)).toThrow(
      "vjp: expected a tensor, a number or nested arrays of numbers, got undefined",
    );
    expect(() => jvp(() => "x" as unknown as Tensor, [1], [1])).toThrow(
      "jvp: expected a tensor, a number or nested arrays of numbers, got string",
    );
    expect(() => add({} as unknown as Tensor, 1)).toThrow("add: expected a tensor, a number or nested arrays of numbers, got Object");
  });
});
