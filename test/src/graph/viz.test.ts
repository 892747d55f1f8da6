/** @file Synchronous Graphviz rendering through the worker. */
import { describe, expect, it } from "vitest";
import { dotToSvg, stripSvgHeader } from "../../../src/graph/viz.js";

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
