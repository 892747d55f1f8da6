/** @file %graph, %backprop and %forward render their picture once: the magic renders it, the display shows that rendering. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { add, dot, mul, sigmoid, square, sub, tensor, type Tensor } from "gradlab";
import backpropMagic from "../../kernel/magics/backprop.js";
import forwardMagic from "../../kernel/magics/forward.js";
import graphMagic from "../../kernel/magics/graph.js";
import type { Magic } from "../../kernel/magics/registry.js";
import type { MimeBundle } from "../../src/display/mime.js";
import * as dotModule from "../../src/graph/dot.js";
import * as viz from "../../src/graph/viz.js";
import { fakeMagicContext } from "../support/magic-context.js";

// Count Graphviz renderings and layout plans, rendering as before.
vi.mock("../../src/graph/viz.js", async (original) => {
  const m = await original<typeof import("../../src/graph/viz.js")>();
  return { ...m, dotToSvg: vi.fn(m.dotToSvg) };
});
vi.mock("../../src/graph/dot.js", async (original) => {
  const m = await original<typeof import("../../src/graph/dot.js")>();
  return { ...m, dotPlan: vi.fn(m.dotPlan) };
});

const scope: Record<string, unknown> = {
  f: (x: Tensor, w: Tensor, b: Tensor) => mul(0.5, square(sub(sigmoid(add(dot(w, x), b)), 1))),
  x: tensor([1, 2, -1]),
  w: tensor([0.5, -0.3, 0.2]),
  b: 0.4,
};

/** Runs a line magic with a context that displays as the kernel does (the value's bundle). */
async function run(m: Magic, args: string): Promise<MimeBundle[]> {
  const ctx = fakeMagicContext(scope);
  await m.run({ name: m.name, mode: "line", args, body: "" }, ctx);
  return ctx.shown;
}

describe("one rendering per picture", () => {
  beforeEach(() => {
    vi.mocked(viz.dotToSvg).mockClear();
    vi.mocked(dotModule.dotPlan).mockClear();
  });

  it.each([
    [backpropMagic, "f(x, w, b)", "text/html"],
    [forwardMagic, "f(x, w, b) --wrt w", "text/html"],
    [graphMagic, "f(x, w, b)", "image/svg+xml"],
  ] as const)("%%%s", async (magic, args, mime) => {
    const [bundle] = await run(magic, args);
    expect(String(bundle![mime])).toContain("<svg");
    expect(viz.dotToSvg).toHaveBeenCalledTimes(1);
    expect(dotModule.dotPlan).toHaveBeenCalledTimes(1);
  });
});
