/**
 * @file The executor's start without V8's optimizing compiler (kernel/node/tiering.ts): the rule
 * with a fake flag setter, the flags on this Node's V8 (a function cannot be optimized while it is
 * deferred, and can once it is on), and the real kernel, whose first cell's code runs optimized.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { deferOptimizingCompiler } from "../../kernel/node/tiering.js";
import { REPO, resultText, startKernel } from "./helpers.js";

/** V8's %GetOptimizationStatus bit of a function that runs TurboFan's code. */
const TURBOFANNED = 64;
/** JavaScript (with natives syntax) that asks V8 to optimize a small function and returns its status. */
const PROBE =
  "const f = (x) => x * 2 + 1; %PrepareFunctionForOptimization(f); f(1); f(2); %OptimizeFunctionOnNextCall(f); f(3); return %GetOptimizationStatus(f);";

describe("deferOptimizingCompiler", () => {
  it("turns the optimizing compiler off at once and on again once, at the first resume", () => {
    const set: string[] = [];
    const resume = deferOptimizingCompiler(["--max-old-space-size=512", "--max-semi-space-size=16"], (f) => set.push(f));
    expect(set).toEqual(["--no-turbofan"]);
    resume();
    resume();
    expect(set).toEqual(["--no-turbofan", "--turbofan"]);
  });

  it("leaves the optimizing tiers alone when the executor's own flags choose them", () => {
    for (const flag of ["--no-opt", "--turbofan", "--no-turbofan", "--jitless", "--max-opt=1", "--maglev", "--always-turbofan"]) {
      const set: string[] = [];
      deferOptimizingCompiler(["--max-old-space-size=512", flag], (f) => set.push(f))();
      expect(set, flag).toEqual([]);
    }
    // Flags that only look alike change nothing.
    const set: string[] = [];
    deferOptimizingCompiler(["--optimize-for-size", "--max-lazy"], (f) => set.push(f));
    expect(set).toEqual(["--no-turbofan"]);
  });

  it("on this Node's V8: nothing is optimized while it is deferred, and code is once it is resumed", () => {
    const script = [
      `const { deferOptimizingCompiler } = await import(${JSON.stringify(join(REPO, "dist/kernel/node/tiering.js"))});`,
      `const probe = new Function(${JSON.stringify(PROBE)});`,
      "const resume = deferOptimizingCompiler();",
      "const deferred = probe();",
      "resume();",
      "console.log(JSON.stringify([deferred, probe()]));",
    ].join("\n");
    const r = spawnSync(process.execPath, ["--allow-natives-syntax", "--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const [deferred, resumed] = JSON.parse(r.stdout) as [number, number];
    expect(deferred & TURBOFANNED).toBe(0);
    expect(resumed & TURBOFANNED).toBe(TURBOFANNED);
  });
});

describe("the kernel's first cell", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-tiering-"));
  let kc: KernelClient | undefined;
  afterAll(async () => {
    await kc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs its code with the optimizing compiler on", async () => {
    // Natives syntax for the probe: an executor with a flag of its own starts without the snapshot.
    kc = await startKernel({ cwd: dir, env: { GRADLAB_EXEC_ARGV: "--allow-natives-syntax", GRADLAB_SNAPSHOT_BUILD: "0" } });
    const status = Number(resultText(await kc.execute(`(new Function(${JSON.stringify(PROBE)}) as () => number)()`)));
    expect(status & TURBOFANNED).toBe(TURBOFANNED);
  }, 60_000);
});
