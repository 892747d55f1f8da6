/**
 * @file %backprop, %forward and %graph on notebook 04's f, run as the kernel runs them (the magic
 * handlers with a context that evaluates in a scope): the slide's eleven rows u₁..u₁₁, no constant
 * with an adjoint, the gradient unchanged; and a Russian %backprop with no English words left.
 */
import { afterEach, describe, expect, it } from "vitest";
import * as gl from "gradlab";
import { grad, setLanguage, type Tensor } from "gradlab";
import backpropMagic from "../../kernel/magics/backprop.js";
import forwardMagic from "../../kernel/magics/forward.js";
import graphMagic from "../../kernel/magics/graph.js";
import type { Magic } from "../../kernel/magics/registry.js";
import type { MimeBundle } from "../../src/display/mime.js";
import { fakeMagicContext } from "../support/magic-context.js";
import { b, fSeminar as f, SLIDE, w, x } from "../support/seminar.js";

const scope: Record<string, unknown> = { ...gl, f, x, w, b };

async function run(m: Magic, args: string): Promise<MimeBundle> {
  const ctx = fakeMagicContext(scope);
  await m.run({ name: m.name, mode: "line", args, body: "" }, ctx);
  expect(ctx.shown).toHaveLength(1);
  return ctx.shown[0];
}

/** The step table's rows in the HTML: the text of the second cell of each body row. */
function vertexColumn(html: string): string[] {
  const table = /<table[^>]*>[\s\S]*?<\/table>/.exec(html.slice(html.indexOf("</svg>")))![0];
  return [...table.matchAll(/<tr><td[^>]*>\d+<\/td><td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1].replace(/&amp;/g, "&"));
}

describe("the magics on notebook 04's f", () => {
  afterEach(() => setLanguage("en"));

  it("%backprop: 11 rows u11..u1 with the slide's operations, every adjoint a vertex's, the gradient grad's", async () => {
    const out = await run(backpropMagic, "f(x, w, b)");
    expect(vertexColumn(String(out["text/html"]))).toEqual([...SLIDE].reverse());
    expect(String(out["text/html"]).match(/class="node"/g)).toHaveLength(11);
    // Each of the 11 vertices, and nothing else, has an adjoint row "ū = ..." in the picture.
    expect(String(out["text/html"]).match(/ū = /g)).toHaveLength(11);
    const [gx, gw, gb] = grad(f, { argnums: [0, 1, 2] })(scope.x as Tensor, scope.w as Tensor, scope.b as Tensor);
    const text = String(out["text/plain"]);
    const row = (name: string) => new RegExp(`∂f/∂${name}\\s+ū\\d\\s+\\S+\\s+(.*)`).exec(text)![1].trim();
    expect(row("x")).toBe(formatted(gx));
    expect(row("w")).toBe(formatted(gw));
    expect(row("b")).toBe(formatted(gb));
  });

  it("%forward: 11 rows u1..u11; %graph: 11 boxes labelled u1..u11", async () => {
    const fw = await run(forwardMagic, "f(x, w, b) --wrt w");
    expect(vertexColumn(String(fw["text/html"]))).toEqual(SLIDE);
    const g = await run(graphMagic, "f(x, w, b)");
    expect(String(g["image/svg+xml"]).match(/class="node"/g)).toHaveLength(11);
    expect(
      String(g["text/plain"])
        .split("\n")
        .map((l) => l.split(/\s{2,}/)[0]),
    ).toEqual(SLIDE);
  });

  it("%backprop in Russian: captions, headers and cells carry no English word but the ops' names", async () => {
    setLanguage("ru");
    const out = await run(backpropMagic, "f(x, w, b)");
    const text = String(out["text/plain"]);
    expect(text).toContain("Обратный режим");
    expect(text).toContain("Градиенты по входам");
    const words = new Set(text.match(/[A-Za-z]{2,}/g));
    expect([...words].filter((word) => !["add", "sub", "mul", "dot"].includes(word))).toEqual([]);
    const html = String(out["text/html"]);
    const cells = html
      .replace(/<svg[\s\S]*<\/svg>/, "")
      .replace(/<style>[\s\S]*?<\/style>/, "")
      .replace(/<[^>]+>/g, " ");
    const htmlWords = new Set(cells.match(/[A-Za-z]{2,}/g));
    expect([...htmlWords].filter((word) => !["add", "sub", "mul", "dot"].includes(word))).toEqual([]);
  });
});

/** A gradient as the table previews it (four significant digits). */
function formatted(v: Tensor): string {
  const d = Array.from(v.data, (a) => String(Number(a.toPrecision(4))));
  return v.shape.length === 0 ? d[0] : `[${d.join(", ")}]`;
}
