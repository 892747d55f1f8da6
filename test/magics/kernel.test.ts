/** @file The autodiff magics through the real gradlab kernel over ZeroMQ, as Jupyter drives it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../kernel/client.js";
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
    expect(String(e.data!["image/svg+xml"]).match(/class="node"/g)).toHaveLength(16);
  });

  it("%backprop shows the step table; %forward the forward sweep", async () => {
    const r = await kc.execute("%backprop f(x, w, b)");
    expect(r.status).toBe("ok");
    const html = String(displays(r.outputs as Out[])[0].data!["text/html"]);
    expect(html.match(/<tr>/g)!.length).toBeGreaterThanOrEqual(16 + 3);
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

  it("%plot returns a plotly bundle with both MIME types", async () => {
    const r = await kc.execute("%plot fn sigmoid --range -4:4 --points 21");
    expect(r.status).toBe("ok");
    const [d] = displays(r.outputs as Out[]);
    expect(Object.keys(d.data!)).toEqual(expect.arrayContaining(["application/vnd.plotly.v1+json", "text/html", "text/plain"]));
  });
});
