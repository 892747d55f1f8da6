/**
 * @file A process that used the worker of src/tensor/simd-threads.ts exits by itself, and
 * GRADLAB_THREADS=1 keeps it on one thread: a child `node` runs the built modules of dist/src/.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";
import { simdAvailable, threadStats } from "../../../src/tensor/simd.js";
import { assertBuilt } from "../../support/build.js";

// The child imports dist/src/: a stale build fails here instead of testing old code.
beforeAll(() => assertBuilt(["src"]));

const threads = simdAvailable() && threadStats() !== null;

describe.runIf(threads)("products on both cores", () => {
  test("a process that used the worker exits by itself; GRADLAB_THREADS=1 runs on one thread", () => {
    const simd = fileURLToPath(new URL("../../../dist/src/tensor/simd.js", import.meta.url));
    const matmul = fileURLToPath(new URL("../../../dist/src/tensor/matmul.js", import.meta.url));
    const tensorJs = fileURLToPath(new URL("../../../dist/src/tensor/tensor.js", import.meta.url));
    const script = `
      const { setThreadMode, threadStats } = await import(${JSON.stringify(simd)});
      const { matmulKernel } = await import(${JSON.stringify(matmul)});
      const { Tensor } = await import(${JSON.stringify(tensorJs)});
      setThreadMode("always");
      const a = new Tensor(new Float64Array(2000 * 500).fill(0.5), [2000, 500]);
      const x = new Tensor(new Float64Array(500).fill(2), [500]);
      let y;
      for (let i = 0; i < 50; i++) y = matmulKernel(a, x);
      // the worker starts in the background (tens of ms); then products are split with it. Without a
      // pool (GRADLAB_THREADS=1) there is nothing to wait for.
      for (let i = 0; i < 1000 && threadStats() !== null && !threadStats().ready; i++) await new Promise((r) => setTimeout(r, 10));
      for (let i = 0; i < 50; i++) y = matmulKernel(a, x);
      console.log(JSON.stringify({ y0: y.data[0], stats: threadStats() }));`;
    for (const threadsEnv of [undefined, "1"]) {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        env: { ...process.env, GRADLAB_THREADS: threadsEnv },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.stderr).toBe("");
      expect(r.signal).toBeNull();
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as { y0: number; stats: { ready: boolean } | null };
      expect(out.y0).toBe(500);
      if (threadsEnv === "1") expect(out.stats).toBeNull();
      else expect(out.stats?.ready).toBe(true);
    }
  });
});
