/** @file The autodiff magics through the real gradlab kernel over ZeroMQ, as Jupyter drives it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { startKernel } from "../kernel/helpers.js";

let kc: KernelClient;
beforeAll(async () => {
  kc = await startKernel();
  const r = await kc.execute(
    [
      'import { tensor, sigmoid, dot, add, sub, mul, square, sum, div, exp, log1p, graph, type Tensor } from "gradlab";',
      "const f = (x: Tensor, w: Tensor, b: Tensor) => add(div(square(sub(sigmoid(add(dot(w, x), b)), 1)), 2), mul(0.05, sum(square(w))));",
      "const x = tensor([1, 2, -1]);",
      "const w = tensor([0.5, -0.3, 0.2]);",
      "const b = tensor(0.4);",
      "const double = (v: Tensor) => mul(v, 2);",
      "const a = tensor([1, -2, 0.5]);",
      "const logreg = (v: Tensor) => log1p(exp(dot(a, v)));",
      "const good = (v: Tensor) => mul(sigmoid(dot(a, v)), a);",
      "const bad = (v: Tensor) => a;",
    ].join("\n"),
  );
  expect(r.status, `setup cell failed: ${JSON.stringify(r.error)}`).toBe("ok");
});
afterAll(async () => {
  await kc?.close();
});

type Out = { output_type: string; data?: Record<string, unknown>; ename?: string; evalue?: string };
const displays = (outs: readonly Out[]) => outs.filter((o) => o.output_type === "display_data" || o.output_type === "execute_result");

describe("autodiff magics in the kernel", () => {
  it("%graph shows an SVG of the call; graph() as a last expression does too", async () => {
    const r = await kc.execute("%graph f(x, w, b) --rankdir TB");
    expect(r.status).toBe("ok");
    const [d] = displays(r.outputs as Out[]);
    expect(String(d.data!["image/svg+xml"])).toMatch(/^<svg/);
    expect(String(d.data!["text/plain"])).toMatch(/^u1 = x/);
    const lib = await kc.execute("graph(f, x, w, b)");
    const [e] = displays(lib.outputs as Out[]);
    // x, w, b and 10 operations: the constants 1, 2 and 0.05 sit inside their vertices, square is one vertex.
    expect(String(e.data!["image/svg+xml"]).match(/class="node"/g)).toHaveLength(13);
  });

  it("%backprop shows the step table; %forward the forward sweep", async () => {
    const r = await kc.execute("%backprop f(x, w, b)");
    expect(r.status).toBe("ok");
    const html = String(displays(r.outputs as Out[])[0].data!["text/html"]);
    expect(html.match(/<tr>/g)!.length).toBeGreaterThanOrEqual(13 + 3);
    const fw = await kc.execute("%forward f(x, w, b) --wrt w");
    expect(String(displays(fw.outputs as Out[])[0].data!["text/plain"])).toContain("forward mode w.r.t. w (n = 3)");
  });

  it("bad input gives a one-line usage error and the kernel state survives", async () => {
    const r = await kc.execute("%backprop double(x)");
    expect(r.status).toBe("error");
    const err = (r.outputs as Out[]).find((o) => o.output_type === "error")!;
    expect(`${err.ename}: ${err.evalue}`).toMatch(/UsageError: %backprop: expected f to return a scalar, got shape \[3\]/);
    expect(err.evalue).not.toContain("\n");
    const after = await kc.execute("x.shape.length + 41");
    expect(displays(after.outputs as Out[])[0].data!["text/plain"]).toBe("42");
  });

  it("%gradcheck shows the report and fails the cell on a wrong formula", async () => {
    const ok = await kc.execute("%gradcheck logreg tensor([0.3, 0.1, -0.4]) --analytic good");
    expect(ok.status).toBe("ok");
    expect(String(displays(ok.outputs as Out[])[0].data!["text/plain"])).toContain("PASSED");
    const bad = await kc.execute("%gradcheck logreg tensor([0.3, 0.1, -0.4]) --analytic bad");
    expect(bad.status).toBe("error");
    expect(String(displays(bad.outputs as Out[])[0].data!["text/html"])).toContain('<tr class="fail">');
  });

  it("%gradcheck: ln det X passes at an SPD X; an error raised by f keeps its own name and message", async () => {
    const setup = await kc.execute(
      [
        'import { logdet, inv, tensor as t2 } from "gradlab";',
        "const X = t2([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]);",
        "const S = t2([[1, 2], [2, 4]]);",
        "const sumInv = (m: Tensor) => sum(inv(m));",
      ].join("\n"),
    );
    expect(setup.status, JSON.stringify(setup.error)).toBe("ok");
    const ok = await kc.execute("%gradcheck logdet X --analytic inv");
    expect(ok.status).toBe("ok");
    expect(String(displays(ok.outputs as Out[])[0].data!["text/plain"])).toMatch(
      /symmetric perturbations: PASSED \(gradient 9\/9 entries ok\)/,
    );
    const bad = await kc.execute("%gradcheck sumInv S");
    expect(bad.status).toBe("error");
    const err = (bad.outputs as Out[]).find((o) => o.output_type === "error")!;
    expect(err.ename).toBe("Error");
    expect(err.evalue).toMatch(/^inv: the 2x2 matrix is singular/);
  });

  it("%plot returns a plotly bundle with both MIME types", async () => {
    const r = await kc.execute("%plot fn sigmoid --range -4:4 --points 21");
    expect(r.status).toBe("ok");
    const [d] = displays(r.outputs as Out[]);
    expect(Object.keys(d.data!)).toEqual(expect.arrayContaining(["application/vnd.plotly.v1+json", "text/html", "text/plain"]));
  });

  it("%%time prints the times, then the cell's value is its execute_result (IPython's order); declarations persist", async () => {
    const r = await kc.execute("%%time\nconst timedAnswer = 41;\ntimedAnswer + 1");
    expect(r.status).toBe("ok");
    const outs = r.outputs as (Out & { name?: string; text?: string })[];
    expect(outs).toHaveLength(2);
    expect(outs[0]).toMatchObject({ output_type: "stream", name: "stdout" });
    expect(outs[0].text).toMatch(/^CPU times: user .+\nWall time: .+\n$/);
    expect(outs[1]).toMatchObject({ output_type: "execute_result", data: { "text/plain": "42" } });
    const line = (await kc.execute("%time timedAnswer + 2")).outputs as Out[];
    expect(line.map((o) => o.output_type)).toEqual(["stream", "execute_result"]);
    expect(line[1].data!["text/plain"]).toBe("43");
    const later = await kc.execute("timedAnswer * 2");
    expect(displays(later.outputs as Out[])[0].data!["text/plain"]).toBe("82");
  });

  it("%precision 12: %backprop shows the gradients to 1e-12 (closed form), tensors and %whos follow, %precision resets", async () => {
    // f = (σ(wᵀx + b) − 1)²/2 + 0.05‖w‖²: with s = σ(wᵀx + b) and c = (s − 1) s (1 − s),
    // ∂f/∂x = c w, ∂f/∂w = c x + 0.1 w, ∂f/∂b = c.
    const xv = [1, 2, -1];
    const wv = [0.5, -0.3, 0.2];
    const s = 1 / (1 + Math.exp(-(xv.reduce((acc, xi, k) => acc + xi * wv[k], 0) + 0.4)));
    const c = (s - 1) * s * (1 - s);
    const expected = [...wv.map((wi) => c * wi), ...xv.map((xi, k) => c * xi + 0.1 * wv[k]), c];
    const numbers = (text: string) => (text.match(/-?\d+\.\d+(?:e[+-]?\d+)?/g) ?? []).map(Number);
    const gradients = async () => {
      const r = await kc.execute("%backprop f(x, w, b)");
      expect(r.status).toBe("ok");
      const text = String(displays(r.outputs as Out[])[0].data!["text/plain"]);
      const shown = numbers(text.slice(text.indexOf("Gradients with respect to the inputs")));
      expect(shown).toHaveLength(7);
      return { text, error: Math.max(...shown.map((g, k) => Math.abs(g - expected[k]))) };
    };
    expect((await gradients()).error).toBeGreaterThan(1e-6); // 4 significant digits by default

    const set = await kc.execute("%precision 12");
    expect(set.status).toBe("ok");
    const { text, error } = await gradients();
    expect(error).toBeLessThan(1e-12);
    // readable in a terminal: the 12-digit step table wraps to the 100-character linewidth
    expect(Math.max(...text.split("\n").map((l) => [...l].length))).toBeLessThanOrEqual(100);

    const plain = await kc.execute("1 / 3");
    expect(plain.outputs[0]).toMatchObject({ output_type: "execute_result", data: { "text/plain": "0.333333333333" } });
    const t = await kc.execute("tensor([1 / 3])");
    expect(displays(t.outputs as Out[])[0].data!["text/plain"]).toBe("tensor([0.333333333333])");
    const whos = await kc.execute("const third = 1 / 3;\n%whos");
    const stdout = (whos.outputs as { name?: string; text?: string }[])
      .filter((o) => o.name === "stdout")
      .map((o) => o.text)
      .join("");
    expect(stdout).toMatch(/^third\s+number\s+0\.333333333333$/m);
    expect(stdout).toMatch(/^w\s+Tensor\s+shape \[3\]: \[0\.5, -0\.3, 0\.2\]$/m);

    const reset = await kc.execute("%precision");
    expect(reset.status).toBe("ok");
    expect((await kc.execute("1 / 3")).outputs[0]).toMatchObject({ data: { "text/plain": String(1 / 3) } });
    expect((await gradients()).error).toBeGreaterThan(1e-6);
    const bad = await kc.execute("%precision %.3f");
    expect(bad.status).toBe("error");
    const err = (bad.outputs as Out[]).find((o) => o.output_type === "error")!;
    expect(err.evalue).toContain('%precision: expected a number of digits from 1 to 17, got "%.3f"');
  });
});
