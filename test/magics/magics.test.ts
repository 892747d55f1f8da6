/** @file The autodiff magics as pure handlers with a small fake context (the real kernel is tested in kernel.test.ts). */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as gl from "gradlab";
import { add, dot, mul, sigmoid, square, sub, sum, tensor, type Tensor } from "gradlab";
import backpropMagic from "../../kernel/magics/backprop.js";
import { flagsAnywhere, splitCall, splitFirst } from "../../kernel/magics/call-args.js";
import forwardMagic from "../../kernel/magics/forward.js";
import gradcheckMagic from "../../kernel/magics/gradcheck.js";
import graphMagic from "../../kernel/magics/graph.js";
import plotMagic from "../../kernel/magics/plot.js";
import { loadMagicModules, MagicRegistry, MagicUsageError, type Magic } from "../../kernel/magics/registry.js";
import { RU } from "../../src/i18n/catalog.js";
import { setLanguage } from "../../src/i18n/index.js";
import { fakeMagicContext } from "../support/magic-context.js";

const f = (x: Tensor, w: Tensor, b: Tensor) => mul(0.5, square(sub(sigmoid(add(dot(w, x), b)), 1)));
const a = [1, -2, 0.5];
const scope: Record<string, unknown> = {
  ...gl,
  f,
  x: tensor([1, 2, -1]),
  w: tensor([0.5, -0.3, 0.2]),
  b: 0.4,
  double: (v: Tensor) => mul(v, 2),
  logreg: (v: Tensor) => gl.log1p(gl.exp(dot(tensor(a), v))),
  good: (v: Tensor) => mul(sigmoid(dot(tensor(a), v)), tensor(a)),
  bad: () => tensor(a),
  bowl: (p: Tensor, q: Tensor) => add(square(p), square(q)),
  X: tensor([
    [4, 1, 0.5],
    [1, 3, 0.2],
    [0.5, 0.2, 2],
  ]),
  S: tensor([
    [1, 2],
    [2, 4],
  ]),
  sumInv: (m: Tensor) => sum(gl.inv(m)),
  series: [{ name: "fwd", x: [1, 2], y: [3, 4] }],
};

/** A fake context: evaluates plain JS expressions in `scope`, records what is displayed. */
const fakeCtx = () => fakeMagicContext(scope);

async function run(m: Magic, args: string) {
  const ctx = fakeCtx();
  await m.run({ name: m.name, mode: "line", args, body: "" }, ctx);
  return ctx.shown;
}

async function usage(m: Magic, args: string): Promise<string> {
  const err = await run(m, args).then(
    () => new Error("no error"),
    (e: Error) => e,
  );
  expect(err).toBeInstanceOf(MagicUsageError);
  return new MagicRegistry().usageMessage(m, err as MagicUsageError);
}

describe("argument helpers", () => {
  it("splits calls, first tokens and flags anywhere", () => {
    expect(splitCall("loss(tensor([1, 2]), w, 'a,b')")).toEqual({ callee: "loss", args: ["tensor([1, 2])", "w", "'a,b'"] });
    expect(splitCall("m.f(g(x))(y)")).toEqual({ callee: "m.f(g(x))", args: ["y"] });
    expect(() => splitCall("f")).toThrow('expected a call such as f(x, w, b), got "f"');
    expect(splitFirst("f [1, 2, 3]")).toEqual(["f", "[1, 2, 3]"]);
    expect(flagsAnywhere("f(x, -y) --rankdir TB", { rankdir: ["LR", "TB"] })).toEqual({ flags: { rankdir: "TB" }, rest: "f(x, -y)" });
    expect(flagsAnywhere("--x -2:2 g --y=-1:1", { x: "string", y: "string" })).toEqual({ flags: { x: "-2:2", y: "-1:1" }, rest: "g" });
  });
});

describe("%graph / %backprop / %forward", () => {
  it("%graph draws the call with the requested direction", async () => {
    const [b] = await run(graphMagic, "f(x, w, b) --rankdir TB");
    expect(b["image/svg+xml"]).toMatch(/^<svg/);
    expect(b["text/plain"]).toMatch(/^u1 = x\s+input/);
    const [lr] = await run(graphMagic, "--rankdir LR f(x, w, b)");
    expect(lr["image/svg+xml"]).not.toBe(b["image/svg+xml"]);
    const [layered] = await run(graphMagic, "f(x, w, b) --layout layered");
    expect(layered["image/svg+xml"]).not.toBe(lr["image/svg+xml"]);
    expect(String(layered["image/svg+xml"]).match(/class="node"/g)).toHaveLength(
      String(lr["image/svg+xml"]).match(/class="node"/g)!.length,
    );
  });

  it("%graph --backward draws the backward pass (seminar item 6)", async () => {
    const [b] = await run(graphMagic, "f(x, w, b) --backward b");
    expect(b["text/plain"]).toMatch(/^backward pass: ∂f\/∂b\n/);
    expect(b["image/svg+xml"]).toContain("backward pass");
  });

  it("%backprop shows adjoints and the step table (and y^T J with --cotangent)", async () => {
    const [b] = await run(backpropMagic, "f(x, w, b)");
    expect(b["text/html"]).toContain("gradlab-backprop");
    expect(b["text/plain"]).toContain("∂f/∂b");
    const [v] = await run(backpropMagic, "double(x) --cotangent [1,0,3]");
    expect(v["text/plain"]).toMatch(/yᵀ ∂f\/∂v\s+ū1\s+\[3\]\s+\[2, 0, 6\]/);
  });

  it("%forward resolves --wrt by parameter name, argument text or position", async () => {
    for (const wrt of ["w", "1"]) {
      const [b] = await run(forwardMagic, `f(x, w, b) --wrt ${wrt}`);
      expect(b["text/plain"]).toContain("forward mode w.r.t. w (n = 3)");
    }
    expect(await usage(forwardMagic, "f(x, w, b) --wrt q")).toBe(
      "UsageError: %forward: --wrt q is neither a parameter (x, w, b) nor an argument of the call (usage: %forward f(x, w, b) [--wrt NAME|INDEX] [--rankdir LR|TB])",
    );
  });

  it("bad input gives one-line usage errors naming the magic", async () => {
    expect(await usage(graphMagic, "")).toBe(
      "UsageError: %graph: missing the call to draw (usage: %graph f(x, w, b) [--backward NAME|INDEX] [--rankdir LR|TB] [--max N] [--layout auto|dot|layered])",
    );
    expect(await usage(graphMagic, "f(x, w, b) --backward q")).toBe(
      "UsageError: %graph: expected wrt among x, w, b, got q (usage: %graph f(x, w, b) [--backward NAME|INDEX] [--rankdir LR|TB] [--max N] [--layout auto|dot|layered])",
    );
    expect(await usage(graphMagic, "b(x)")).toMatch(/^UsageError: %graph: b is not a function \(got number\)/);
    expect(await usage(graphMagic, "f(x) --rankdir XY")).toMatch(/flag --rankdir expects one of LR\|TB, got "XY"/);
    expect(await usage(graphMagic, "f(x)")).toMatch(/^UsageError: %graph: f takes 3 arguments, got 1 \(usage/);
    expect(await usage(backpropMagic, "double(x)")).toMatch(
      /^UsageError: %backprop: expected f to return a scalar, got shape \[3\] \(pass a cotangent/,
    );
  });
});

describe("%gradcheck and %plot", () => {
  it("%gradcheck passes a right formula and fails the cell on a wrong one", async () => {
    const [ok] = await run(gradcheckMagic, "logreg [0.3, 0.1, -0.4] --analytic good");
    expect(ok["text/plain"]).toMatch(/^gradcheck logreg at x of shape \[3\].*PASSED/);
    const ctx = fakeCtx();
    await expect(
      gradcheckMagic.run({ name: "gradcheck", mode: "line", args: "logreg [0.3, 0.1, -0.4] --analytic bad", body: "" }, ctx),
    ).rejects.toThrow("gradcheck logreg: FAILED (3 failing comparisons, see the table)");
    expect(String(ctx.shown[0]["text/plain"]).replace(/\s+/g, " ")).toContain("FAIL: formula ≠ autodiff");
    expect(await usage(gradcheckMagic, "logreg")).toMatch(/expected a function and a point/);
    expect(await usage(gradcheckMagic, "logreg [1, 2, 3] --analytic b")).toMatch(/--analytic b is not a function/);
  });

  it("%gradcheck checks ln det X = X⁻¹ at an SPD X with symmetric perturbations (closed-form inverse)", async () => {
    const [ok] = await run(gradcheckMagic, "logdet X --analytic inv");
    const text = String(ok["text/plain"]);
    expect(text).toMatch(
      /^gradcheck logdet at x of shape \[3, 3\], f\(x\) = [\d.]+, symmetric perturbations: PASSED \(gradient 9\/9 entries ok\)/,
    );
    // X⁻¹[0, 1] by cofactors: -(1 * 2 - 0.2 * 0.5) / det X.
    const det = 4 * (3 * 2 - 0.2 * 0.2) - 1 * (1 * 2 - 0.2 * 0.5) + 0.5 * (1 * 0.2 - 3 * 0.5);
    // The row of entry [0, 1]: autodiff, finite differences, ... (8 significant digits).
    const [autodiff, fd] = text
      .split("\n")
      .find((l) => l.startsWith("[0, 1]"))!
      .slice(6)
      .trim()
      .split(/\s+/)
      .map(Number);
    expect(autodiff).toBeAllclose(-(1 * 2 - 0.2 * 0.5) / det, { rtol: 1e-7 });
    expect(fd).toBeAllclose(-(1 * 2 - 0.2 * 0.5) / det, { rtol: 1e-7 });
    // One entry at a time, logdet refuses the perturbed (non-symmetric) matrix: f's error, said so.
    const err = await run(gradcheckMagic, "logdet X --symmetric false").then(
      () => new Error("no error"),
      (e: Error) => e,
    );
    expect(err).not.toBeInstanceOf(MagicUsageError);
    expect(err.message).toMatch(
      /^gradcheck: f raised an error at a perturbed point \(not at the x you passed\): x\[0, 1\] changed by \+0\.00001, from 1 to 1\.00001 .*At that point: logdet: expected a symmetric matrix/,
    );
    expect(await usage(gradcheckMagic, "logdet X --symmetric maybe")).toMatch(/flag --symmetric expects one of true\|false, got "maybe"/);
  });

  it("%gradcheck shows an error raised by f as f's own error, not as a usage error", async () => {
    const err = await run(gradcheckMagic, "sumInv S").then(
      () => new Error("no error"),
      (e: Error) => e,
    );
    expect(err).not.toBeInstanceOf(MagicUsageError);
    expect(err.name).toBe("Error");
    expect(err.message).toMatch(/^inv: the 2x2 matrix is singular/);
  });

  it("%plot draws fn, contour and lines figures", async () => {
    const [fn] = await run(plotMagic, "sigmoid --range -4:4 --points 11");
    expect((fn["application/vnd.plotly.v1+json"] as { data: { x: number[] }[] }).data[0].x).toHaveLength(11);
    const [c] = await run(plotMagic, "contour bowl --x -1:1 --y -1:1 --points 5");
    expect((c["application/vnd.plotly.v1+json"] as { data: { type: string }[] }).data.map((t) => t.type)).toEqual(["contour", "scatter"]);
    const [l] = await run(plotMagic, "lines series --logy true");
    expect(l["text/plain"]).toBe('plotly figure: scatter "fwd"');
    expect(await usage(plotMagic, "sigmoid --range 4")).toMatch(/--range expects a range a:b, got "4"/);
    expect(await usage(plotMagic, "contour x")).toMatch(/x is not a function/);
  });
});

describe("the magics in Russian", () => {
  afterEach(() => void setLanguage("en"));

  it("every magic's help has a Russian text, shown by %name? when the language is Russian", async () => {
    const { registry, errors } = await loadMagicModules(join(import.meta.dirname, "..", "..", "dist", "kernel", "magics"));
    expect(errors).toEqual([]);
    const untranslated = registry.list().filter((m) => RU[m.help] === undefined);
    expect(untranslated.map((m) => m.name)).toEqual([]);
    setLanguage("ru");
    const help = registry.helpText(registry.get("gradcheck", "line")!);
    expect(help.startsWith("%gradcheck f x [--analytic g]")).toBe(true);
    expect(help).toContain("Проверяет градиент скалярной функции f в точке x");
  });

  it("%gradcheck's report, verdict and usage errors follow setLanguage", async () => {
    setLanguage("ru");
    const [report] = await run(gradcheckMagic, "logreg x --analytic good");
    expect(String(report["text/plain"])).toMatch(
      /^gradcheck logreg в точке x формы \[3\], f\(x\) = .*: ПРОЙДЕНО \(градиент: верно 3\/3 элементов\)/,
    );
    expect(String(report["text/html"])).toContain("<th>ваша формула</th>");
    const failed = await run(gradcheckMagic, "logreg x --analytic bad").catch((e: Error) => e.message);
    expect(failed).toBe("gradcheck logreg: НЕ ПРОЙДЕНО (3 сравнения не сошлись, см. таблицу)");
    expect(await usage(gradcheckMagic, "logreg")).toBe(
      "UsageError: %gradcheck: ожидались функция и точка, например %gradcheck f x (синтаксис: %gradcheck f x [--analytic g] [--hessian h] [--eps E] [--symmetric true|false])",
    );
    setLanguage("en");
    const [english] = await run(gradcheckMagic, "logreg x --analytic good");
    expect(String(english["text/plain"])).toMatch(/: PASSED \(gradient 3\/3 entries ok\)/);
  });

  it("%plot's default titles and legends are Russian", async () => {
    setLanguage("ru");
    const [fig] = await run(plotMagic, "fn tanh --range -1:1");
    const spec = fig["application/vnd.plotly.v1+json"] as { data: { name: string }[]; layout: { title: { text: string } } };
    expect(spec.layout.title.text).toBe("tanh и её производная");
    expect(spec.data.map((t) => t.name)).toEqual(["tanh(x)", "tanh'(x) (автодифф.)"]);
  });
});
