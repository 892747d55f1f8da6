/**
 * @file The seminar's numbering: notebook 04's f(x, ω, b) = (σ(ωᵀx + b) − t)²/2 + λ/2 ‖ω‖², written
 * with two named sub-expressions, records the slide's eleven vertices u₁..u₁₁ in the slide's order
 * with the slide's operations; no constant is a vertex or has an adjoint; every gradient is the
 * one of the same f written without `vertex`, and the closed form's.
 */
import { describe, expect, it } from "vitest";
import { add, div, dot, grad, mul, sigmoid, square, sub, sum, type Tensor } from "gradlab";
import { backprop, forwardTable, graph, traceGraph } from "../../../src/graph/api.js";
import { backpropSteps, forwardSteps, inputGradients } from "../../../src/graph/steps.js";
import { graphText } from "../../../src/graph/text.js";
import { b, fSeminar, lambda, SLIDE, t, w, x } from "../../support/seminar.js";

/** f as the notebook writes it: 13 primitive applications. */
function f(x: Tensor, w: Tensor, b: Tensor): Tensor {
  const z = add(dot(w, x), b);
  const loss = div(square(sub(sigmoid(z), t)), 2);
  return add(loss, mul(lambda / 2, sum(square(w))));
}

/** Notebook 04's closed form: with s = σ(ωᵀx + b), r = s − t, δ = r s (1 − s). */
function closedForm() {
  const z = dot(w, x).item() + b.item();
  const s = 1 / (1 + Math.exp(-z));
  const delta = (s - t) * s * (1 - s);
  return {
    x: Array.from(w.data, (wi) => delta * wi),
    w: Array.from(x.data, (xi, i) => delta * xi + lambda * w.data[i]),
    b: [delta],
  };
}

describe("notebook 04's f in the seminar's numbering", () => {
  const g = traceGraph(fSeminar, x, w, b);

  it("records exactly u1..u11: inputs first, the slide's operations in the slide's order", () => {
    expect(g.vertices).toHaveLength(11);
    expect(g.inputs).toEqual([1, 2, 3]);
    expect(g.output).toBe(11);
    expect(g.vertices.map((v) => v.op)).toEqual([
      "input",
      "input",
      "input",
      "matmul",
      "add",
      "logistic",
      "sub",
      "u²/2",
      "‖ω‖²",
      "mul",
      "add",
    ]);
    expect(g.vertices.map((v) => v.parents)).toEqual([[], [], [], [2, 1], [4, 3], [5], [6], [7], [2], [9], [8, 10]]);
    expect(
      graphText(g)
        .split("\n")
        .map((line) => line.split(/\s{2,}/)[0]),
    ).toEqual(SLIDE);
  });

  it("keeps the constants t and λ/2 inside their vertices, never as vertices", () => {
    expect(g.vertices.every((v) => v.kind !== ("constant" as never))).toBe(true);
    expect(g.vertices.flatMap((v) => (v.constants ?? []).map((c) => [v.id, c.arg, Array.from(c.value.data)]))).toEqual([
      [7, 1, [t]],
      [10, 0, [lambda / 2]],
    ]);
  });

  it("%backprop's table: 11 rows u11..u1 with the slide's operations; adjoints only for vertices", () => {
    const view = backprop(fSeminar, x, w, b);
    const steps = backpropSteps(view.graph);
    expect(steps.rows.map((r) => r[1])).toEqual([...SLIDE].reverse());
    expect(view.graph.vertices.every((v) => v.adjoint !== undefined)).toBe(true);
    expect(view.toString()).not.toMatch(/constant|const\b/);
    // ū7 is r = s − t, no longer the "adjoint" of the constant t.
    const h = closedForm();
    const s = g.vertices[5].value.data[0];
    expect(view.graph.vertices[6].adjoint!.data[0]).toBeAllclose(s - t, { rtol: 1e-15, atol: 0 });
    expect(inputGradients(view.graph).rows.map((r) => r[0])).toEqual(["∂f/∂x", "∂f/∂w", "∂f/∂b"]);
    expect(view.graph.vertices[0].adjoint!.data).toBeAllclose(h.x, { rtol: 1e-14, atol: 0 });
  });

  it("%forward's table: 11 rows u1..u11; %graph: 11 boxes", () => {
    const view = forwardTable(fSeminar, x, w, b, { wrt: "w" });
    expect(forwardSteps(view.graph).rows.map((r) => r[1])).toEqual(SLIDE);
    expect(view.graph.vertices[10].tangent!.data).toBeAllclose(closedForm().w, { rtol: 1e-14, atol: 0 });
    expect(
      graph(fSeminar, x, w, b)
        .svg()
        .match(/class="node"/g),
    ).toHaveLength(11);
  });

  it("every gradient is unchanged: grad and the graph's adjoints of f with vertex() equal those of f, bit for bit", () => {
    const all = grad(f, { argnums: [0, 1, 2] })(x, w, b);
    const named = grad(fSeminar, { argnums: [0, 1, 2] })(x, w, b);
    expect(named.map((a) => a.data)).toEqual(all.map((a) => a.data));
    expect(fSeminar(x, w, b).data).toEqual(f(x, w, b).data);
    const plainAdj = backprop(f, x, w, b).graph;
    const namedAdj = backprop(fSeminar, x, w, b).graph;
    for (const k of [0, 1, 2]) {
      expect(namedAdj.vertices[k].adjoint!.data).toEqual(all[k].data);
      expect(plainAdj.vertices[k].adjoint!.data).toEqual(all[k].data);
    }
    const h = closedForm();
    expect(all[0]).toBeAllclose(h.x, { rtol: 1e-14, atol: 0 });
    expect(all[1]).toBeAllclose(h.w, { rtol: 1e-14, atol: 0 });
    expect(all[2]).toBeAllclose(h.b, { rtol: 1e-14, atol: 0 });
  });

  it("f written without vertex() has 13 vertices: u²/2 and ‖ω‖² each take two", () => {
    const plain = traceGraph(f, x, w, b);
    expect(plain.vertices.map((v) => v.op)).toEqual([
      "input",
      "input",
      "input",
      "matmul",
      "add",
      "logistic",
      "sub",
      "square",
      "div",
      "square",
      "reduce_sum",
      "mul",
      "add",
    ]);
  });
});
