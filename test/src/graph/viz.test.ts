/** @file Synchronous Graphviz rendering, on this thread and through the worker. */
import { describe, expect, it } from "vitest";
import { dotToSvg, stripSvgHeader } from "../../../src/graph/viz.js";
import { prepareGraphviz, renderDot, renderInWorker } from "../../../src/platform/node-graphviz.js";

describe("dotToSvg", () => {
  it("renders DOT to an SVG element without XML header", () => {
    const svg = dotToSvg('digraph { a [id="va"]; a -> b }');
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).not.toContain("<?xml");
    expect(svg).not.toContain("<!DOCTYPE");
    expect(svg).toContain('id="va"');
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });

  it("is deterministic", () => {
    const dot = "digraph { rankdir=LR; x -> y -> z; x -> z }";
    expect(dotToSvg(dot)).toBe(dotToSvg(dot));
  });

  it("reports invalid DOT with Graphviz's message", () => {
    expect(() => dotToSvg("digraph { a -> }")).toThrow(/graph: Graphviz failed: .*syntax error/);
  });

  it("strips headers and rejects output without <svg", () => {
    expect(stripSvgHeader('<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg/>\n')).toBe("<svg/>");
    expect(() => stripSvgHeader("nope")).toThrow(/no <svg> element/);
  });
});

describe("Graphviz on this thread and in the worker", () => {
  it("gives the same SVG, and the same error, either way", async () => {
    const dots = [
      'digraph { rankdir=LR; a [id="va", label="x₁"]; a -> b -> c; a -> c [label="∂"] }',
      "graph { node [shape=box]; p -- q -- r -- p; s }",
    ];
    const inWorker = dots.map((d) => renderInWorker(d, "dot"));
    const wasm = (globalThis as unknown as { WebAssembly: { instantiate: unknown } }).WebAssembly;
    const instantiate = wasm.instantiate;
    await prepareGraphviz();
    // Graphviz is compiled for the baseline tier only; WebAssembly.instantiate is left as it was.
    expect(wasm.instantiate).toBe(instantiate);
    for (const [i, d] of dots.entries()) {
      const here = renderDot(d, "dot");
      expect(here).toContain("<svg");
      expect(here).toBe(inWorker[i]);
    }
    expect(renderDot(dots[1], "neato")).toBe(renderInWorker(dots[1], "neato"));
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    const bad = message(() => renderDot("digraph { a -> }", "dot"));
    expect(bad).toMatch(/Graphviz failed: .*syntax error/);
    expect(message(() => renderInWorker("digraph { a -> }", "dot"))).toBe(bad);
    // and this thread's instance still renders afterwards
    expect(renderDot(dots[0], "dot")).toBe(inWorker[0]);
  });
});
