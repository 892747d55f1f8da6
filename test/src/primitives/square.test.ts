/**
 * @file `square` primitive: the shared unary suite, one vertex in a recorded graph, and the same
 * numbers as `mul(x, x)` (the composite square was before it became a primitive): values,
 * gradients, tangents, Hessians and Jacobians compared with toEqual on the Float64 data.
 */
import { expect, test } from "vitest";
import {
  add,
  dot,
  div,
  grad,
  hessian,
  hvp,
  jacfwd,
  jacrev,
  jvp,
  mul,
  randn,
  sigmoid,
  sin,
  square,
  sub,
  sum,
  tensor,
  traceGraph,
  vjp,
  type Tensor,
} from "gradlab";
import { unarySuite } from "./unary-suite.js";

unarySuite({ name: "square", op: square, reference: (v) => v * v, derivative: (v) => 2 * v }, () => {
  const product = (x: Tensor) => mul(x, x);
  const x = randn([7], { seed: 3 });
  const data = (t: Tensor | Tensor[]) => (Array.isArray(t) ? t.map((a) => Array.from(a.data)) : Array.from(t.data));

  test("is recorded as one vertex", () => {
    const g = traceGraph((v: Tensor) => sum(square(v)), [1, 2]);
    expect(g.vertices.map((v) => v.op)).toEqual(["input", "square", "reduce_sum"]);
    expect(g.vertices[1].parents).toEqual([1]);
  });

  test("value, vjp, jvp, hvp, Hessian and Jacobians equal those of mul(x, x), bit for bit", () => {
    const routes = (sq: (t: Tensor) => Tensor) => {
      const s = (t: Tensor) => sum(sq(sin(t)));
      const [y, pull] = vjp(sq, x);
      return [
        data(y),
        data(pull(randn([7], { seed: 4 }))),
        data(jvp(sq, [x], [randn([7], { seed: 5 })])[1]),
        data(grad(s)(x)),
        data(hvp(s, x, randn([7], { seed: 6 }))),
        data(hessian(s)(x)),
        data(jacfwd(sq)(x)),
        data(jacrev(sq)(x)),
        data(grad((t: Tensor) => sum(grad(s)(t)))(x)),
      ];
    };
    expect(routes(square)).toEqual(routes(product));
  });

  test("the seminar's f: value, gradients and the Hessian in w equal the mul(x, x) form, bit for bit", () => {
    const [xs, ws, b] = [randn([3], { seed: 21 }), randn([3], { seed: 22 }), tensor(0.5)];
    const f = (sq: (t: Tensor) => Tensor) => (xv: Tensor, wv: Tensor, bv: Tensor) =>
      add(div(sq(sub(sigmoid(add(dot(wv, xv), bv)), 1)), 2), mul(0.05, sum(sq(wv))));
    const all = (sq: (t: Tensor) => Tensor) => [
      data(f(sq)(xs, ws, b)),
      data(grad(f(sq), { argnums: [0, 1, 2] })(xs, ws, b)),
      data(hessian((wv: Tensor) => f(sq)(xs, wv, b))(ws)),
    ];
    expect(all(square)).toEqual(all(product));
  });

  test("a squared value with a child summed before the square's contribution: the gradient agrees to an ulp", () => {
    // s = sin(x) feeds square(s) and then 3.7 s; the reverse sweep adds 3.7 first. mul(s, s)
    // added its two equal terms one by one, (a + c) + c; square adds them at once, a + 2c.
    const f = (sq: (t: Tensor) => Tensor) => (t: Tensor) => {
      const s = sin(t);
      return sum(add(sq(s), mul(s, 3.7)));
    };
    const [a, b] = [grad(f(square))(x).data, grad(f(product))(x).data];
    const closed = Array.from(x.data, (v) => Math.cos(v) * (2 * Math.sin(v) + 3.7));
    expect(a).toBeAllclose(closed, { rtol: 1e-15, atol: 0 });
    a.forEach((ai, i) => expect(Math.abs(ai - b[i])).toBeLessThanOrEqual(2 * Number.EPSILON * Math.abs(b[i])));
  });
});
