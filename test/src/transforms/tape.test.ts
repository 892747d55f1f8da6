/**
 * @file The reverse-mode tape's storage (typed columns in chunks): long chains across
 * chunk boundaries, one-entry values of every shape, constants, primitives with params or with
 * more than two arguments, and adjoints that are tensors, each checked against a closed form or
 * central finite differences.
 */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, add, exp, grad, mul, reshape, sin, stack, sum, tensor, valueAndGrad, vjp } from "gradlab";

/** The scalar chain of W4: sin, * x, + x in turn; value and derivative by the chain rule by hand. */
function chainByHand(x: number, ops: number): [number, number] {
  let y = x;
  let dy = 1;
  for (let k = 0; k < ops; k++) {
    const r = k % 3;
    if (r === 0) [y, dy] = [Math.sin(y), Math.cos(y) * dy];
    else if (r === 1) [y, dy] = [y * x, dy * x + y];
    else [y, dy] = [y + x, dy + 1];
  }
  return [y, dy];
}

const chain =
  (ops: number) =>
  (x: Tensor): Tensor => {
    let y = x;
    for (let k = 0; k < ops; k++) {
      const r = k % 3;
      y = r === 0 ? sin(y) : r === 1 ? mul(y, x) : add(y, x);
    }
    return y;
  };

/** Central finite difference of a scalar function. */
const central = (f: (x: number) => number, x: number, h = 1e-6): number => (f(x + h) - f(x - h)) / (2 * h);

describe("the tape", () => {
  test.each([1, 255, 256, 257, 767, 768, 1793, 20_000])(
    "a chain of %i scalar ops (chunk boundaries) matches the chain rule by hand",
    (ops) => {
      const [v, g] = valueAndGrad(chain(ops))(tensor(0.5));
      const [hv, hg] = chainByHand(0.5, ops);
      expect(v.item()).toBe(hv);
      expect(g.item()).toBeCloseTo(hg, 10);
      expect(Math.abs(g.item() - hg)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(hg)));
    },
  );

  test("one-entry values of shapes [], [1] and [1, 1] keep their shapes through the tape", () => {
    const f = (x: Tensor): Tensor => {
      const a = reshape(x, [1]);
      const b = reshape(mul(a, a), [1, 1]);
      return sum(mul(sin(b), reshape(x, [1, 1])));
    };
    const x = 0.7;
    const [, pullback] = vjp(f, tensor(x));
    const g = pullback(1)[0];
    expect(g.shape).toEqual([]);
    // d/dx sin(x^2) x = 2x^2 cos(x^2) + sin(x^2)
    expect(g.item()).toBeCloseTo(2 * x * x * Math.cos(x * x) + Math.sin(x * x), 14);
    const [, pb1] = vjp((t: Tensor) => mul(sin(t), t), tensor([x]));
    const g1 = pb1(tensor([1]))[0];
    expect(g1.shape).toEqual([1]);
    expect(g1.item()).toBeCloseTo(Math.cos(x) * x + Math.sin(x), 14);
  });

  test("constants, params and a primitive of three arguments (stack) on one tape, against finite differences", () => {
    const rng = new Rng(7);
    const c = rng.randn([4]);
    const f = (x: Tensor): Tensor => {
      const s = stack([mul(x, c), exp(x), c]); // [3, 4]: two taped rows and a constant one
      return sum(mul(sum(s, 0), sin(x)));
    };
    const x0 = rng.randn([4]);
    const g = grad(f)(x0).toFloat64Array();
    const xs = x0.toFloat64Array();
    for (let i = 0; i < 4; i++) {
      const fi = (t: number): number => {
        const y = xs.slice();
        y[i] = t;
        return f(tensor(y)).item();
      };
      expect(g[i]).toBeCloseTo(central(fi, xs[i]), 7);
    }
  });

  test("stack of 300 values, taped and constant in turn (more arguments than a mask or a byte holds)", () => {
    const n = 300;
    const f = (x: Tensor): Tensor => {
      const parts = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? mul(x, i + 1) : tensor(i)));
      return sum(mul(stack(parts), stack(parts)));
    };
    // f = Σ_even ((i+1) x)^2 + const, so f' = 2 x Σ_even (i+1)^2
    let s2 = 0;
    for (let i = 0; i < n; i += 2) s2 += (i + 1) ** 2;
    expect(grad(f)(tensor(0.25)).item()).toBeCloseTo(2 * 0.25 * s2, 8);
  });

  test("a pullback runs again with the same tape and gives the same adjoints scaled", () => {
    const rng = new Rng(8);
    const w = rng.randn([5]);
    const [, pullback] = vjp((x: Tensor) => sum(mul(exp(mul(x, w)), x)), rng.randn([5]));
    const once = pullback(1)[0].toFloat64Array();
    const twice = pullback(2)[0].toFloat64Array();
    once.forEach((v, i) => expect(twice[i]).toBe(2 * v));
    expect(pullback(1)[0].toFloat64Array()).toEqual(once);
  });

  test("an output taped before other values: later vertices do not reach it", () => {
    const x = 0.3;
    let late: Tensor | undefined;
    const [, pullback] = vjp((t: Tensor) => {
      const y = mul(sin(t), t);
      late = exp(y); // taped after y, not part of y
      return y;
    }, tensor(x));
    expect(late).toBeDefined();
    expect(pullback(1)[0].item()).toBeCloseTo(Math.cos(x) * x + Math.sin(x), 14);
  });

  test("grad of grad through long chains (tapes nested in tapes) matches finite differences of the derivative", () => {
    const ops = 1000;
    const d2 = grad(grad(chain(ops)))(tensor(0.5)).item();
    expect(d2).toBeCloseTo(
      central((t) => chainByHand(t, ops)[1], 0.5, 1e-5),
      4,
    );
  });
});
