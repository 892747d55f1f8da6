/**
 * @file The executor's start without V8's optimizing compiler (kernel/node/tiering.ts): the rule
 * with a fake flag setter, the flags on this Node's V8 (a function cannot be optimized while it is
 * deferred, and can once it is on), and the real kernel, whose first cell's code runs optimized
 * (the optimizing compiler is on before the first compile).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { createDisplay } from "../../kernel/engine/display.js";
import { Executor } from "../../kernel/engine/executor.js";
import { deferOptimizingCompiler } from "../../kernel/node/tiering.js";
import { REPO, resultText, startKernel } from "./helpers.js";
import { assertBuilt } from "../support/build.js";

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

describe("the executor's hook for long work", () => {
  // The executor loads the built library (dist/src) for `import ... from "gradlab"`.
  beforeAll(() => assertBuilt(["src"]));

  it("is told before a compile against @types/node, and again before the cell runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-tiering-hook-"));
    const events: string[] = [];
    (globalThis as Record<string, unknown>).tieringEvents = events;
    try {
      const ex = new Executor(dir, createDisplay({ display: () => undefined, clear: () => undefined }), {});
      ex.beforeLongWork = () => events.push("long");
      // `process`: the cell's own build is against @types/node (as is the first build of an executor without the snapshot).
      await ex.run('(globalThis as any).tieringEvents.push("cell");\nprocess.pid', "cell[1]", 0);
      expect(events.at(-1)).toBe("cell");
      expect(events.at(-2)).toBe("long");
      // At least one call from a build, besides the one before the cell's script.
      expect(events.filter((e) => e === "long").length).toBeGreaterThanOrEqual(2);
    } finally {
      delete (globalThis as Record<string, unknown>).tieringEvents;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
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
