/** @file Pure rendering of small graphs: DOT, SVG and text pinned by inline snapshots; escaping; large graphs. */
import { describe, expect, it } from "vitest";
import { JUPYTER_DISPLAY } from "../../../src/display/mime.js";
import { toDot } from "../../../src/graph/dot.js";
import { formatNumber, previewValue } from "../../../src/graph/preview.js";
import { graphText } from "../../../src/graph/text.js";
import type { Graph, Value } from "../../../src/graph/types.js";
import { GraphView } from "../../../src/graph/view.js";

const val = (shape: number[], ...xs: number[]): Value => ({ shape, data: Float64Array.from(xs) });

/** u1 = x = 2, u2 = u1 * 3 = 6 (the constant 3 belongs to u2); adjoints u_bar = (3, 1). */
function tiny(name = "x"): Graph {
  return {
    vertices: [
      { id: 1, kind: "input", op: "input", name, parents: [], value: val([], 2), adjoint: val([], 3) },
      { id: 2, kind: "op", op: "mul", parents: [1], constants: [{ arg: 1, value: val([], 3) }], value: val([], 6), adjoint: val([], 1) },
    ],
    edges: [{ from: 1, to: 2, arg: 0 }],
    inputs: [1],
    output: 2,
    inputNames: [name],
  };
}

describe("previews", () => {
  it("formats numbers compactly", () => {
    expect([0.1 + 0.2, 1 / 3, 2, -0, 1e-7, 123456789.5, NaN, -Infinity].map((x) => formatNumber(x))).toEqual([
      "0.3",
      "0.3333",
      "2",
      "0",
      "1e-7",
      "1.235e+8",
      "NaN",
      "-Inf",
    ]);
  });

  it("summarises a million-entry tensor without reading it all", () => {
    const big = { shape: [1000, 1000], data: new Float64Array(1e6).fill(1.5) };
    expect(previewValue(big)).toBe(
      "[[1.5, 1.5, …, 1.5, 1.5], [1.5, 1.5, …, 1.5, 1.5], …, [1.5, 1.5, …, 1.5, 1.5], [1.5, 1.5, …, 1.5, 1.5]]",
    );
    expect(previewValue(val([2, 2], 1, 2, 3, 4))).toBe("[[1, 2], [3, 4]]");
  });
});

describe("graph text", () => {
  it("lists vertices with values and adjoints", () => {
    expect(graphText(tiny())).toMatchInlineSnapshot(`
      "u1 = x           input   scalar  2  ū = 3
      u2 = mul(u1, 3)  output  scalar  6  ū = 1"
    `);
  });
});

describe("graph DOT and SVG", () => {
  it("pins the DOT source", () => {
    expect(toDot(tiny(), { rankdir: "TB", adjoints: false })).toMatchInlineSnapshot(`
      "digraph G {
        id="g1op7wtq";
        rankdir=TB;
        node [shape=plaintext, fontname="Helvetica", fontsize=11];
        edge [color="#555555", arrowsize=0.7];
        u1 [id="g1op7wtq_u1", label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="3"><tr><td bgcolor="#dbeafe"><b>u1</b></td><td bgcolor="#dbeafe">input x</td></tr><tr><td colspan="2">scalar  2</td></tr></table>>];
        u2 [id="g1op7wtq_u2", label=<<table border="0" cellborder="1" cellspacing="0" cellpadding="3"><tr><td bgcolor="#fde68a"><b>u2</b></td><td bgcolor="#fde68a">mul(u1, 3)</td></tr><tr><td colspan="2">scalar  6</td></tr></table>>];
        u1 -> u2 [id="g1op7wtq_e1"];
      }"
    `);
  });

  it("renders SVG with one node per vertex and one edge per edge", () => {
    const view = new GraphView(tiny());
    const svg = view.svg();
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/class="node"/g)).toHaveLength(2);
    expect(svg.match(/class="edge"/g)).toHaveLength(1);
    expect(svg).toContain("ū = 3");
    const bundle = view[JUPYTER_DISPLAY]();
    expect(Object.keys(bundle).sort()).toEqual(["image/svg+xml", "text/plain"]);
    expect(bundle["text/plain"]).toBe(graphText(tiny()));
  });

  it("pins a 2-node SVG", () => {
    const g: Graph = {
      vertices: [
        { id: 1, kind: "input", op: "input", name: "x", parents: [], value: val([], 1) },
        { id: 2, kind: "op", op: "exp", parents: [1], value: val([], Math.E) },
      ],
      edges: [{ from: 1, to: 2, arg: 0 }],
      inputs: [1],
      output: 2,
      inputNames: ["x"],
    };
    expect(new GraphView(g).svg()).toMatchInlineSnapshot(`
      "<svg width="208pt" height="58pt"
       viewBox="0.00 0.00 208.00 58.00" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
      <g id="gbfckkb" class="graph" transform="scale(1 1) rotate(0) translate(4 54.4)">
      <title>G</title>
      <polygon fill="white" stroke="none" points="-4,4 -4,-54.4 204.23,-54.4 204.23,4 -4,4"/>
      <!-- u1 -->
      <g id="gbfckkb_u1" class="node">
      <title>u1</title>
      <polygon fill="#dbeafe" stroke="none" points="8,-25.2 8,-46.4 28.84,-46.4 28.84,-25.2 8,-25.2"/>
      <polygon fill="none" stroke="black" points="8,-25.2 8,-46.4 28.84,-46.4 28.84,-25.2 8,-25.2"/>
      <text xml:space="preserve" text-anchor="start" x="12" y="-33.5" font-family="Helvetica,sans-Serif" font-weight="bold" font-size="11.00">u1</text>
      <polygon fill="#dbeafe" stroke="none" points="28.84,-25.2 28.84,-46.4 69.25,-46.4 69.25,-25.2 28.84,-25.2"/>
      <polygon fill="none" stroke="black" points="28.84,-25.2 28.84,-46.4 69.25,-46.4 69.25,-25.2 28.84,-25.2"/>
      <text xml:space="preserve" text-anchor="start" x="32.84" y="-31.4" font-family="Helvetica,sans-Serif" font-size="11.00">input x</text>
      <polygon fill="none" stroke="black" points="8,-4 8,-25.2 69.25,-25.2 69.25,-4 8,-4"/>
      <text xml:space="preserve" text-anchor="start" x="17.84" y="-10.2" font-family="Helvetica,sans-Serif" font-size="11.00">scalar &#160;1</text>
      </g>
      <!-- u2 -->
      <g id="gbfckkb_u2" class="node">
      <title>u2</title>
      <polygon fill="#fde68a" stroke="none" points="121.25,-25.2 121.25,-46.4 144.51,-46.4 144.51,-25.2 121.25,-25.2"/>
      <polygon fill="none" stroke="black" points="121.25,-25.2 121.25,-46.4 144.51,-46.4 144.51,-25.2 121.25,-25.2"/>
      <text xml:space="preserve" text-anchor="start" x="126.46" y="-33.5" font-family="Helvetica,sans-Serif" font-weight="bold" font-size="11.00">u2</text>
      <polygon fill="#fde68a" stroke="none" points="144.51,-25.2 144.51,-46.4 192.23,-46.4 192.23,-25.2 144.51,-25.2"/>
      <polygon fill="none" stroke="black" points="144.51,-25.2 144.51,-46.4 192.23,-46.4 192.23,-25.2 144.51,-25.2"/>
      <text xml:space="preserve" text-anchor="start" x="149.72" y="-31.4" font-family="Helvetica,sans-Serif" font-size="11.00">exp(u1)</text>
      <polygon fill="none" stroke="black" points="121.25,-4 121.25,-25.2 192.23,-25.2 192.23,-4 121.25,-4"/>
      <text xml:space="preserve" text-anchor="start" x="125.25" y="-10.2" font-family="Helvetica,sans-Serif" font-size="11.00">scalar &#160;2.718</text>
      </g>
      <!-- u1&#45;&gt;u2 -->
      <g id="gbfckkb_e1" class="edge">
      <title>u1&#45;&gt;u2</title>
      <path fill="none" stroke="#555555" d="M77,-25.2C86.03,-25.2 95.82,-25.2 105.33,-25.2"/>
      <polygon fill="#555555" stroke="#555555" points="105.08,-27.65 112.08,-25.2 105.08,-22.75 105.08,-27.65"/>
      </g>
      </g>
      </svg>"
    `);
  });

  it("escapes user text: a <script> label shows as text", () => {
    const evil = "<script>alert(1)</script>";
    const view = new GraphView({ ...tiny(evil), title: evil });
    const svg = view.svg();
    expect(svg).not.toContain("<script");
    expect(svg).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(view.dot).not.toContain("<script");
    // Big pictures use plain DOT strings: quotes and backslashes must not break out either.
    const tricky = `${evil}" \\N \\`;
    const layered = new GraphView({ ...tiny(tricky), title: evil }, { layout: "layered" }).svg();
    expect(layered).not.toContain("<script");
    expect(layered).toContain("input &lt;script&gt;alert(1)&lt;/script&gt;&quot; \\N \\");
  });

  it("uses content-derived ids: equal graphs agree, different graphs differ", () => {
    const a = toDot(tiny("x"));
    expect(toDot(tiny("x"))).toBe(a);
    const idOf = (dot: string) => /id="(g[0-9a-z]+)"/.exec(dot)![1];
    expect(idOf(toDot(tiny("y")))).not.toBe(idOf(a));
  });

  it("collapses graphs above maxVertices into blocks", () => {
    const n = 2000;
    const vertices: Graph["vertices"] = [{ id: 1, kind: "input", op: "input", name: "x", parents: [], value: val([], 0) }];
    const edges: Graph["edges"] = [];
    for (let i = 2; i <= n; i++) {
      vertices.push({ id: i, kind: "op", op: i % 2 ? "sin" : "cos", parents: [i - 1], value: val([], i) });
      edges.push({ from: i - 1, to: i, arg: 0 });
    }
    const g: Graph = { vertices, edges, inputs: [1], output: n, inputNames: ["x"] };
    const svg = new GraphView(g, { maxVertices: 50 }).svg();
    const nodes = svg.match(/class="node"/g)!.length;
    expect(nodes).toBeLessThanOrEqual(50);
    expect(nodes).toBeGreaterThan(40);
    expect(svg).toContain("u2 … u43");
    expect(graphText(g).split("\n")).toHaveLength(41);
  });

  it("rejects malformed graphs with a specific error", () => {
    const g = tiny();
    g.output = 1;
    expect(() => new GraphView(g)).toThrow("graph: expected the output to be the last vertex u2, got u1");
    const clash = tiny();
    clash.vertices[1].constants = [{ arg: 2, value: val([], 3) }]; // mul(u1, ·) has arguments 1 and 2
    expect(() => new GraphView(clash)).toThrow("graph: vertex u2 has a constant at argument 3, which is not a free argument position");
    const call = tiny();
    call.vertices[1] = { ...call.vertices[1], kind: "call", op: "u·3" };
    expect(() => new GraphView(call)).toThrow("graph: vertex u2 (u·3) is a call without its function");
    expect(() => toDot(tiny(), { maxVertices: 1 })).toThrow("graph: expected maxVertices >= 2, got 1");
  });
});
