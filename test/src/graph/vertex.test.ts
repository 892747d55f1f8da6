/**
 * @file `vertex(label, fn)`: the same numbers as fn in every transform (toEqual on the Float64
 * data), one vertex in a recorded graph with fn's own local derivatives, and clear errors.
 */
import { describe, expect, it } from "vitest";
import {
  add,
  div,
  exp,
  grad,
  graphToLatex,
  hessian,
  hvp,
  jacfwd,
  jacrev,
  jvp,
  mul,
  randn,
  sin,
  square,
  sub,
  sum,
  tensor,
  traceGraph,
  vertex,
  vjp,
  type Tensor,
} from "gradlab";
import { backward, forward } from "../../../src/graph/passes.js";
import { backpropSteps } from "../../../src/graph/steps.js";
import { graphText } from "../../../src/graph/text.js";

const data = (t: Tensor | Tensor[]) => (Array.isArray(t) ? t.map((a) => Array.from(a.data)) : Array.from(t.data));

/** g(u, w) = sum(sin(u) * w) + |w|²/2, once written out and once with two named sub-expressions. */
const inner = (u: Tensor, w: Tensor) => sum(mul(sin(u), w));
const half = (w: Tensor) => div(sum(square(w)), 2);
const named = { inner: vertex("⟨sin u, w⟩", inner), half: vertex("‖w‖²/2", half) };
const plain = (u: Tensor, w: Tensor) => add(inner(exp(u), w), half(w));
const withVertex = (u: Tensor, w: Tensor) => add(named.inner(exp(u), w), named.half(w));
const u0 = randn([4], { seed: 1 });
const w0 = randn([4], { seed: 2 });

describe("vertex(label, fn) computes exactly what fn computes", () => {
  it("in value, grad, vjp, jvp, hvp, hessian, jacfwd, jacrev and grad of grad", () => {
    const routes = (f: (u: Tensor, w: Tensor) => Tensor) => {
      const fu = (u: Tensor) => f(u, w0);
      const [, pull] = vjp(f, u0, w0);
      return [
        data(f(u0, w0)),
        data(grad(f, { argnums: [0, 1] })(u0, w0)),
        data(pull(tensor(1.5))),
        data(jvp(f, [u0, w0], [randn([4], { seed: 3 }), randn([4], { seed: 4 })])[1]),
        data(hvp(fu, u0, randn([4], { seed: 5 }))),
        data(hessian(fu)(u0)),
        data(jacfwd((u: Tensor) => grad(fu)(u))(u0)),
        data(jacrev((u: Tensor) => grad(fu)(u))(u0)),
        data(grad((u: Tensor) => sum(grad(fu)(u)))(u0)),
      ];
    };
    expect(routes(withVertex)).toEqual(routes(plain));
  });

  it("on concrete tensors and numbers, and nested in another vertex", () => {
    expect(data(named.half(tensor([3, 4])))).toEqual([12.5]);
    expect(vertex("twice", (a: Tensor) => mul(a, 2))(3).item()).toBe(6);
    const outer = vertex("outer", (w: Tensor) => add(named.half(w), 1));
    const g = traceGraph((w: Tensor) => outer(w), [3, 4]);
    expect(g.vertices.map((v) => v.op)).toEqual(["input", "outer"]);
    expect(g.vertices[1].value.data).toEqual(Float64Array.of(13.5));
    expect(data(grad((w: Tensor) => outer(w))(tensor([3, 4])))).toEqual([3, 4]);
  });
});

describe("a recorded graph keeps a vertex() call as one vertex", () => {
  const g = traceGraph(withVertex, u0, w0);

  it("labelled by the label, its parents the tensor arguments, in computation order", () => {
    expect(g.vertices.map((v) => [v.kind, v.op, v.parents])).toEqual([
      ["input", "input", []],
      ["input", "input", []],
      ["op", "exp", [1]],
      ["call", "⟨sin u, w⟩", [3, 2]],
      ["call", "‖w‖²/2", [2]],
      ["op", "add", [4, 5]],
    ]);
    expect(graphText(g).split("\n")[3]).toMatch(/^u4 = \[⟨sin u, w⟩\]\(u3, u2\) +call /);
  });

  it("its adjoints and tangents are fn's own pullback and pushforward, the gradient that of grad", () => {
    const gb = backward(g);
    const [gu, gw] = grad(withVertex, { argnums: [0, 1] })(u0, w0);
    expect(gb.vertices[0].adjoint!.data).toEqual(gu.data);
    expect(gb.vertices[1].adjoint!.data).toEqual(gw.data);
    // ū4 = 1 and ∂u4/∂u3 = w·cos(u3): the contribution on the edge u3 -> u4, by hand.
    const e = gb.edges.find((x) => x.from === 3 && x.to === 4)!;
    const u3 = g.vertices[2].value.data;
    expect(e.contribution!.data).toBeAllclose(Array.from(u3, (v, i) => w0.data[i] * Math.cos(v)));
    expect(backpropSteps(gb).rows.map((r) => r[1])).toContain("u5 = [‖w‖²/2](u2)");
    const gf = forward(g, "w");
    expect(gf.vertices[5].tangent!.data).toBeAllclose(gw.data, { rtol: 1e-15, atol: 1e-16 });
    // d(‖w‖²/2)/dw = w: the tangent of u5, computed by jvp of fn.
    expect(gf.vertices[4].tangent!.data).toBeAllclose(w0.data, { rtol: 1e-15, atol: 0 });
  });

  it("folds the constants it is called with into the vertex", () => {
    const scaled = vertex("a·u", (a: Tensor, v: Tensor) => mul(a, v));
    const h = traceGraph((v: Tensor) => sum(scaled(tensor([2, 3]), v)), [1, 1]);
    expect(h.vertices.map((v) => v.op)).toEqual(["input", "a·u", "reduce_sum"]);
    expect(h.vertices[1].constants).toEqual([{ arg: 0, value: { shape: [2], data: Float64Array.of(2, 3) } }]);
    expect(h.edges).toEqual([
      { from: 1, to: 2, arg: 1 },
      { from: 2, to: 3, arg: 0 },
    ]);
    expect(backward(h).vertices[0].adjoint!.data).toEqual(Float64Array.of(2, 3));
    expect(graphText(h).split("\n")[1]).toMatch(/^u2 = \[a·u\]\(\[2, 3\], u1\)/);
  });

  it("is written out in LaTeX as its function", () => {
    expect(graphToLatex(traceGraph((w: Tensor) => named.half(w), [1, 2]))).toBe("\\frac{\\sum w^{2}}{2}");
  });

  it("reports a function that closes over a recorded value instead of taking it as an argument", () => {
    expect(() => traceGraph((v: Tensor, w: Tensor) => vertex("v·w", (a: Tensor) => mul(a, w))(v), [1], [2])).toThrow(
      /^vertex: the function of “v·w” uses a value of the recorded graph that is not one of its arguments/,
    );
  });
});

describe("vertex() errors", () => {
  it("names what is wrong", () => {
    expect(() => vertex(3 as never, (a: Tensor) => a)).toThrow(
      "vertex: expected a label (a non-empty string) as the first argument, got number",
    );
    expect(() => vertex(" ", (a: Tensor) => a)).toThrow("vertex: expected a label (a non-empty string) as the first argument, got string");
    expect(() => vertex("u²", "square" as never)).toThrow("vertex: expected a function as the second argument of “u²”, got string");
    const bad = vertex("bad", () => 3 as never);
    expect(() => bad(tensor(1))).toThrow("vertex: expected the function of “bad” to return a tensor, got number");
    expect(() => traceGraph((v: Tensor) => bad(v), 1)).toThrow("vertex: expected the function of “bad” to return a tensor, got number");
    expect(() => grad((v: Tensor) => bad(v))(tensor(1))).toThrow("vertex: expected the function of “bad” to return a tensor, got number");
    expect(() => vertex("two", (a: Tensor, b: Tensor) => sub(a, b))(1)).toThrow("vertex: “two” takes 2 arguments, got 1");
    expect(() => vertex("one", (a: Tensor) => a)("x" as never)).toThrow(/^vertex: argument 1 of “one” is not a tensor: /);
  });
});
