/** @file The layered layout used for large graphs, and the choice between `dot` and it. */
import { describe, expect, it } from "vitest";
import { dotPlan } from "../../../src/graph/dot.js";
import { labelSize, layered } from "../../../src/graph/layout.js";
import type { Graph } from "../../../src/graph/types.js";
import { GraphView } from "../../../src/graph/view.js";

const node = (name: string, parents: string[]) => ({ name, parents, width: 40, height: 20 });

/** x -> (n blocks of sin then add(., x)): every layer uses the input, the shape that makes `dot` slow. */
function fanOut(n: number): Graph {
  const val = { shape: [], data: Float64Array.of(0) };
  const g: Graph = {
    vertices: [{ id: 1, kind: "input", op: "input", name: "x", parents: [], value: val }],
    edges: [],
    inputs: [1],
    output: 0,
    inputNames: ["x"],
  };
  let prev = 1;
  for (let i = 0; i < n; i++) {
    const s = g.vertices.length + 1;
    g.vertices.push({ id: s, kind: "op", op: "sin", parents: [prev], value: val });
    g.edges.push({ from: prev, to: s, arg: 0 });
    g.vertices.push({ id: s + 1, kind: "op", op: "add", parents: [s, 1], value: val });
    g.edges.push({ from: s, to: s + 1, arg: 0 }, { from: 1, to: s + 1, arg: 1 });
    prev = s + 1;
  }
  g.output = g.vertices.length;
  return g;
}

describe("layered layout", () => {
  it("puts every vertex one layer after its latest parent", () => {
    const pos = layered([node("a", []), node("b", ["a"]), node("c", []), node("d", ["b", "c"])], "LR");
    // Layer 0 holds a and c (56 pt tall), so the single boxes of layers 1 and 2 are centred at 28.
    expect(pos).toEqual([
      [20, -10],
      [108, -28],
      [20, -46],
      [196, -28],
    ]);
    const tb = layered([node("a", []), node("b", ["a"])], "TB");
    expect(tb[1][1]).toBeLessThan(tb[0][1]); // y grows upwards in Graphviz: b is below a
  });

  it("estimates label sizes from the longest row", () => {
    expect(labelSize(["ab", "abcd"])).toEqual({ width: Math.ceil(4 * 6.3 + 14), height: 42 });
  });

  it("is chosen automatically above 60 boxes and draws every vertex and edge", () => {
    expect(dotPlan(fanOut(10)).engine).toBe("dot");
    const g = fanOut(250); // 501 vertices
    const plan = dotPlan(g);
    expect(plan.engine).toBe("nop2");
    expect(plan.dot).toMatch(/u1 \[id="g[0-9a-z]+_u1", pos="[\d.]+,-?[\d.]+!"/);
    const svg = new GraphView(g).svg();
    expect(svg.match(/class="node"/g)).toHaveLength(501);
    expect(svg.match(/class="edge"/g)).toHaveLength(750);
    expect(dotPlan(fanOut(10), { layout: "layered" }).engine).toBe("nop2");
  });
});
