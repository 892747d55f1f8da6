/** @file Through the real kernel: %timeit times work whose value is used; %time shows its value. */
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

type Out = { output_type: string; data?: Record<string, unknown>; name?: string; text?: unknown };

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
