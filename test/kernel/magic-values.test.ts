/** @file Through the real kernel: %timeit times work whose value is used; %time shows its value; flag values may hold blanks. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { startKernel, streamText } from "./helpers.js";

let kc: KernelClient;
beforeAll(async () => {
  kc = await startKernel();
});
afterAll(async () => {
  await kc?.close();
});

type Out = { output_type: string; data?: Record<string, unknown>; name?: string; text?: unknown; ename?: string; evalue?: string };

const UNIT: Record<string, number> = { s: 1, ms: 1e-3, µs: 1e-6, ns: 1e-9 };

/** The mean per-loop time (seconds) of a `%timeit` cell's summary line. */
async function timeitMean(cell: string): Promise<number> {
  const r = await kc.execute(cell);
  expect(r.status, JSON.stringify(r.error)).toBe("ok");
  const line = streamText(r.outputs as Out[]);
  const m = /^([\d.]+) (s|ms|µs|ns) ± [\d.]+ (?:s|ms|µs|ns) per loop/.exec(line);
  expect(m, line).not.toBeNull();
  return Number(m![1]) * UNIT[m![2]];
}

describe("%timeit and %time in the kernel", () => {
  it("a function doing 1000 Math.sqrt takes at least 20x one Math.sqrt (neither is optimized away)", async () => {
    const def = await kc.execute(
      "function thousand(): number { let s = 0; for (let i = 0; i < 1000; i++) s += Math.sqrt(i); return s; }\nthousand()",
    );
    expect(def.status).toBe("ok");
    // Many loops per run, so a descheduled moment in one run moves the mean by little.
    const one = await timeitMean("%timeit -n 100000 -r 5 Math.sqrt(2)");
    const many = await timeitMean("%timeit -n 200 -r 5 thousand()");
    expect(one).toBeGreaterThan(0);
    expect(many / one).toBeGreaterThanOrEqual(20);
  });

  it("%time runs the code once and shows its value as the cell's result", async () => {
    const r = await kc.execute("%time Math.sqrt(16) + 2");
    expect(r.status).toBe("ok");
    const outs = r.outputs as Out[];
    expect(streamText(outs)).toMatch(/^CPU times: user .*\nWall time: .*\n$/);
    const result = outs.find((o) => o.output_type === "execute_result")!;
    expect(result.data!["text/plain"]).toBe("6");
  });
});

describe("magic flags whose values are expressions with blanks", () => {
  beforeAll(async () => {
    const r = await kc.execute(
      [
        'import { tensor, eye, mul, sum, square, dot, sigmoid, exp, log1p, type Tensor } from "gradlab";',
        "const x = tensor([1, -2, 0.5]);",
        "const double = (v: Tensor) => mul(v, 2);",
        "const a = tensor([1, -2, 0.5]);",
        "const logreg = (v: Tensor) => log1p(exp(dot(a, v)));",
        "const sq = (X: Tensor) => sum(square(X));",
      ].join("\n"),
    );
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
  });

  it("%backprop --cotangent tensor([1, 0, 3]) seeds y: yᵀJ of v -> 2v is 2y", async () => {
    for (const cell of [
      "%backprop double(x) --cotangent tensor([1, 0, 3])",
      "%backprop double(x) --cotangent tensor([1, 0, 3]) --rankdir TB",
    ]) {
      const r = await kc.execute(cell);
      expect(r.status, JSON.stringify(r.error)).toBe("ok");
      const shown = (r.outputs as Out[]).find((o) => o.output_type === "display_data")!;
      expect(String(shown.data!["text/plain"])).toMatch(/yᵀ ∂f\/∂v\s+ū1\s+\[3\]\s+\[2, 0, 6\]/);
    }
  });

  it("%gradcheck takes inline arrow functions for --analytic and --hessian, and uses them", async () => {
    // d/dv log(1 + e^{a·v}) = sigmoid(a·v) a; the Hessian of sum(X²) is 2I.
    const good = await kc.execute("%gradcheck logreg tensor([0.3, 0.1, -0.4]) --analytic (v: Tensor) => mul(sigmoid(dot(a, v)), a)");
    expect(good.status, JSON.stringify(good.error)).toBe("ok");
    const wrong = await kc.execute("%gradcheck logreg tensor([0.3, 0.1, -0.4]) --analytic (v: Tensor) => mul(2, v)");
    expect(wrong.status).toBe("error");
    expect(wrong.error?.evalue).toMatch(/^gradcheck logreg: FAILED/);
    const hess = await kc.execute(
      "%gradcheck sq tensor([1, 2]) --analytic (X: Tensor) => mul(2, X) --hessian (X: Tensor) => mul(2, eye(2))",
    );
    expect(hess.status, JSON.stringify(hess.error)).toBe("ok");
    const wrongHess = await kc.execute("%gradcheck sq tensor([1, 2]) --hessian (X: Tensor) => mul(3, eye(2)) --eps 1e-4");
    expect(wrongHess.status).toBe("error");
    expect(wrongHess.error?.evalue).toMatch(/^gradcheck sq: FAILED/);
  });

  it("an unbalanced value is a usage error naming its flag, and the kernel keeps its state", async () => {
    const r = await kc.execute("%backprop double(x) --cotangent tensor([1, 0, 3]");
    expect(r.status).toBe("error");
    const err = (r.outputs as Out[]).find((o) => o.output_type === "error")!;
    expect(`${err.ename}: ${err.evalue}`).toMatch(
      /^UsageError: %backprop: the value of --cotangent is not a balanced expression: "\(" is never closed \(usage: /,
    );
    const after = await kc.execute("x.shape[0] + 39");
    expect((after.outputs as Out[]).find((o) => o.output_type === "execute_result")!.data!["text/plain"]).toBe("42");
  });
});
