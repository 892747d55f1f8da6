/**
 * @file Recording, numbering, adjoints, forward derivatives and step tables on the seminar's
 * f(x, w, b) = (sigmoid(w^T x + b) - t)^2 / 2 + lambda/2 ||w||^2, against a hand derivation.
 */
import { describe, expect, it } from "vitest";
import { add, cos, div, dot, matmul, mul, sigmoid, sin, square, sub, sum, tensor, type Tensor } from "gradlab";
import { backwardGraph, backprop, forwardTable, graph, traceGraph } from "../../../src/graph/api.js";
import { backward, forward } from "../../../src/graph/passes.js";
import { paramNames } from "../../../src/graph/record.js";
import { argumentsOf } from "../../../src/graph/types.js";
import { backpropSteps, forwardSteps, modeCost } from "../../../src/graph/steps.js";
import { JUPYTER_DISPLAY } from "../../../src/display/mime.js";

const t = 1;
const lambda = 0.1;
const f = (x: Tensor, w: Tensor, b: Tensor) => add(div(square(sub(sigmoid(add(dot(w, x), b)), t)), 2), mul(lambda / 2, sum(square(w))));
const x = [1, 2, -1];
const w = [0.5, -0.3, 0.2];
const b = 0.4;

/** Hand derivation: z = w.x + b, s = sigmoid(z), r = s - t; df/dz = r s (1 - s). */
function hand() {
  const z = w.reduce((a, wi, i) => a + wi * x[i], 0) + b;
  const s = 1 / (1 + Math.exp(-z));
  const r = s - t;
  const dz = r * s * (1 - s);
  return {
    z,
    s,
    r,
    dz,
    f: (r * r) / 2 + (lambda / 2) * w.reduce((a, wi) => a + wi * wi, 0),
    dx: w.map((wi) => dz * wi),
    dw: x.map((xi, i) => dz * xi + lambda * w[i]),
    db: dz,
  };
}

describe("traceGraph on the seminar function", () => {
  const g = traceGraph(f, x, w, b);
  const ops = g.vertices.map((v) => v.op);

  it("numbers inputs first, output last, in a topological order", () => {
    expect(g.inputNames).toEqual(["x", "w", "b"]);
    expect(g.inputs).toEqual([1, 2, 3]);
    expect(ops.slice(0, 3)).toEqual(["input", "input", "input"]);
    expect(g.output).toBe(g.vertices.length);
    for (const v of g.vertices) for (const p of v.parents) expect(p).toBeLessThan(v.id);
    expect(ops).toContain("logistic");
    // The constants t, 2 and lambda/2 are not vertices: each sits on the vertex that uses it.
    expect(g.vertices.every((v) => v.kind === "input" || v.kind === "op")).toBe(true);
    const consts = g.vertices.flatMap((v) => (v.constants ?? []).map((c) => [v.op, c.arg, c.value.data[0]]));
    expect(consts).toEqual([
      ["sub", 1, t],
      ["div", 1, 2],
      ["mul", 0, lambda / 2],
    ]);
    // An edge's arg is its position among all the arguments, constants included.
    for (const e of g.edges) expect(argumentsOf(g.vertices[e.to - 1])[e.arg]).toEqual({ vertex: e.from });
  });

  it("stores the forward values u_i", () => {
    const h = hand();
    expect(g.vertices[g.output - 1].value.data).toBeAllclose([h.f]);
    const sig = g.vertices.find((v) => v.op === "logistic")!;
    expect(sig.value.data).toBeAllclose([h.s]);
    expect(g.vertices[g.vertices.findIndex((v) => v.op === "logistic") - 1].value.data).toBeAllclose([h.z]);
  });

  it("backward() gives every adjoint and the input gradients", () => {
    const h = hand();
    const gb = backward(g);
    const [ux, uw, ub] = gb.inputs.map((id) => gb.vertices[id - 1].adjoint!.data);
    expect(ux).toBeAllclose(h.dx);
    expect(uw).toBeAllclose(h.dw);
    expect(ub).toBeAllclose([h.db]);
    expect(gb.vertices[gb.output - 1].adjoint!.data).toBeAllclose([1]);
    const sig = gb.vertices.find((v) => v.op === "logistic")!;
    expect(sig.adjoint!.data).toBeAllclose([h.r]); // d/ds of (s - t)^2 / 2
    // u_bar_i is the sum of the contributions on its outgoing edges (seminar item 5).
    for (const v of gb.vertices) {
      const out = gb.edges.filter((e) => e.from === v.id);
      if (!out.length) continue;
      const s = new Float64Array(v.value.data.length);
      for (const e of out) e.contribution!.data.forEach((c, k) => (s[k] += c));
      expect(v.adjoint!.data).toBeAllclose(s);
    }
  });

  it("forward() gives du_i/dw with the Jacobian layout [...u.shape, ...w.shape]", () => {
    const h = hand();
    const gf = forward(g, "w");
    expect(gf.wrt).toBe("w");
    const out = gf.vertices[gf.output - 1].tangent!;
    expect(out.shape).toEqual([3]);
    expect(out.data).toBeAllclose(h.dw);
    const wv = gf.vertices[1].tangent!;
    expect(wv.shape).toEqual([3, 3]);
    expect(wv.data).toBeAllclose([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(gf.vertices[0].tangent!.data).toBeAllclose(new Float64Array(9));
    const cost = modeCost(gf);
    expect(cost.n).toBe(3);
    expect(cost.carried[1]).toBe(9);
    expect(cost.carried[0]).toBe(0); // x does not depend on w: a symbolic zero, never stored
    // u1 = v, u2 = sin(u1), u3 = u2 * u1: du1/dv stays alive until u3 uses it.
    const small = modeCost(
      forward(
        traceGraph((v: Tensor) => mul(sin(v), v), 0.5),
        "v",
      ),
    );
    expect(small).toEqual({ carried: [1, 1, 1], alive: [1, 2, 1], stored: [1, 2, 3], n: 1 });
    expect(cost.carried[gf.output - 1]).toBe(3);
    expect(cost.stored[cost.stored.length - 1]).toBe(gf.vertices.reduce((a, v) => a + v.value.data.length, 0));
    expect(() => forward(g, "q")).toThrow("forward: expected one of the inputs x, w, b, got q");
    // v, v² (1e4 entries each) and the sum: (2e4 + 1) * 1e4 numbers.
    const big = traceGraph((v: Tensor) => sum(square(v)), new Float64Array(1e4));
    expect(() => forward(big, "v")).toThrow(
      "forward: the derivatives du_i/dv would hold 200010000 numbers (n = 10000 directions), expected at most 10000000; use a smaller input",
    );
  });

  it("builds the step tables", () => {
    const steps = backpropSteps(backward(g));
    expect(steps.rows).toHaveLength(g.vertices.length);
    expect(steps.rows[0][0]).toBe(String(g.output));
    expect(steps.rows[0][3]).toBe("seed: ū_m = 1");
    expect(steps.rows[steps.rows.length - 1][0]).toBe("1");
    // (s - t)^2 is one square vertex: the row of r = sub(u, 1) has its one contribution 2 r · 1/2 = r.
    const r = hand().r;
    const rRow = steps.rows.find((row) => /^u\d+ = sub\(u\d+, 1\)$/.test(row[1]))!;
    expect(rRow[3].split("\n").map((c) => Number(c.split(" = ")[1]))).toBeAllclose([r], { rtol: 1e-3 });
    expect(Number(rRow[4])).toBeAllclose(r, { rtol: 1e-3 });
    // A parent used twice, mul(v, v): its row lists one contribution per argument, each named.
    const twice = backpropSteps(backward(traceGraph((v: Tensor) => mul(v, v), 3)));
    expect(twice.rows[1][3]).toBe("ū2·∂u2/∂u1 (argument 1) = 3\nū2·∂u2/∂u1 (argument 2) = 3");
    const fsteps = forwardSteps(forward(g, 1));
    expect(fsteps.rows.map((r) => r[0])).toEqual(g.vertices.map((v) => String(v.id)));
    expect(fsteps.rows[1][3]).toBe("seed: identity");
  });
});

describe("public pictures", () => {
  it("backprop() returns the gradients and renders HTML + text", () => {
    const h = hand();
    const view = backprop(f, x, w, b);
    expect(view.graph.vertices[1].adjoint!.data).toBeAllclose(h.dw);
    const bundle = view[JUPYTER_DISPLAY]();
    expect(bundle["text/html"]).toMatch(/^<div class="gradlab-backprop"><style>/);
    expect(bundle["text/html"]).toContain("<svg");
    expect(bundle["text/plain"]).toContain("∂f/∂w");
    expect(() => backprop((v: Tensor) => mul(v, 2), [1, 2])).toThrow("backprop: expected f to return a scalar, got shape [2]");
    expect(() => backprop(42 as never, 1)).toThrow("backprop: expected a function or a recorded graph, got number");
    expect(() => backprop(f, x)).toThrow("backprop: f takes 3 arguments, got 1");
    expect(() => graph(f, x, w, b, { rankdir: "XY" as never })).toThrow('graph: expected rankdir "LR" or "TB", got "XY"');
    expect(() => graph(f, x, w, b, { colour: 1 } as never)).toThrow(/graph: unknown option "colour"/);
  });

  it("backprop() with a cotangent shows the vector-Jacobian product y^T J (seminar item 7)", () => {
    const A = [
      [1, 2, 3],
      [4, 5, 6],
    ];
    const y = [0.5, -1];
    const view = backprop((v: Tensor) => matmul(tensor(A), v), [1, 1, 1], { cotangent: y });
    const want = [0, 1, 2].map((j) => A[0][j] * y[0] + A[1][j] * y[1]); // A^T y by hand
    expect(view.graph.vertices[0].adjoint!.data).toBeAllclose(want);
    expect(view.toString()).toContain("Reverse mode: ū_m = y (the cotangent)");
    expect(view.toString()).toContain("seed: ū_m = [0.5, -1]");
    expect(() => backprop((v: Tensor) => matmul(tensor(A), v), [1, 1, 1], { cotangent: [1, 2, 3] })).toThrow(
      "backprop: expected the cotangent to have the output's shape [2], got [3]",
    );
  });

  it("forwardTable() reports memory of both modes", () => {
    const view = forwardTable(f, x, w, b, { wrt: "w" });
    expect(view.summary()).toMatch(/^forward mode w\.r\.t\. w \(n = 3\): at most \d+ numbers alive/);
    expect(view.toString()).toContain("du_i/dw");
  });

  it("records the backward pass as a graph and differentiates it again", () => {
    const h = (v: Tensor) => mul(sin(v), v); // h' = cos v v + sin v, h'' = 2 cos v - v sin v
    const x0 = 0.7;
    const g2 = backwardGraph(h, x0);
    expect(g2.title).toBe("backward pass: ∂h/∂v");
    expect(g2.vertices[g2.output - 1].value.data).toBeAllclose([Math.cos(x0) * x0 + Math.sin(x0)]);
    expect(g2.vertices.some((v) => v.op === "cos")).toBe(true); // the VJP rule of sin is in the graph
    const again = backprop(g2);
    expect(again.graph.vertices[0].adjoint!.data).toBeAllclose([2 * Math.cos(x0) - x0 * Math.sin(x0)]);
    expect(graph(g2).svg()).toContain("backward pass");
    expect(cos).toBeDefined();
  });

  it("traceGraph also takes the tensors as one array", () => {
    const [tx, tw, tb] = [tensor(x), tensor(w), tensor(b)];
    const g1 = traceGraph(f, [tx, tw, tb]);
    expect(g1.vertices.map((v) => v.op)).toEqual(traceGraph(f, x, w, b).vertices.map((v) => v.op));
    expect(traceGraph((v: Tensor) => sum(v), [1, 2]).vertices[0].value.shape).toEqual([2]); // numbers: one vector
  });

  it("reads parameter names from the function source", () => {
    expect(paramNames((x: number, w: number) => x + w, 2)).toEqual(["x", "w"]);
    expect(
      paramNames(function loss(a: number, ...rest: number[]) {
        return a + rest.length;
      }, 3),
    ).toEqual(["a", "x2", "x3"]);
    expect(paramNames((z: number) => z, 1)).toEqual(["z"]);
  });
});
