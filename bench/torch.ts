/**
 * @file The torch column of `npm run bench`: runs bench/torch_bench.py on Debian's python3-torch
 * (float64, one thread) with the very data gradlab's workloads use, right after gradlab's own
 * timing in the same run. When torch is missing the column is absent and the run says so.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Stats, TimingOptions } from "./timing.js";

const PYTHON = process.env.GRADLAB_BENCH_PYTHON ?? "/usr/bin/python3";
/** torch_bench.py stays in bench/ (tsc does not copy it): resolved from dist/bench/ back to the source. */
const SCRIPT = fileURLToPath(new URL("../../bench/torch_bench.py", import.meta.url));

/** What one torch workload returned: per-case timings (ms per call) and results to check. */
export interface TorchRun {
  version: string;
  threads: number;
  cases: Record<string, Stats>;
  results: Record<string, number[]>;
}

let available: boolean | undefined;

/**
 * Whether python3 with torch and numpy can be started (checked once per run).
 *
 * @example
 * if (!torchAvailable()) console.log("no torch column");
 */
export function torchAvailable(): boolean {
  available ??= spawnSync(PYTHON, ["-c", "import torch, numpy"], { stdio: "ignore" }).status === 0;
  return available;
}

/**
 * Times workload `workload` of torch_bench.py on `data` (written as raw float64 files), or
 * returns undefined when torch is not installed.
 *
 * @example
 * const t = runTorch("logdet", { x: xData }, { n: 300 }, timing);
 * t?.cases.valueAndGrad.median; // ms per call
 */
export function runTorch(workload: string, data: Record<string, Float64Array>, dims: Record<string, unknown>, timing: TimingOptions): TorchRun | undefined {
  if (!torchAvailable()) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "gradlab-bench-"));
  try {
    const files: Record<string, string> = {};
    Object.entries(data).forEach(([key, arr], i) => {
      files[key] = join(dir, `${i}.f64`);
      writeFileSync(files[key], new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
    });
    const t = { warmup: 3, minRounds: 7, maxRounds: 41, budgetMs: 3000, minSampleMs: 5, ...timing };
    const input = JSON.stringify({ workload, files, dims, timing: t });
    const r = spawnSync(PYTHON, [SCRIPT], { input, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" } });
    if (r.status !== 0) throw new Error(`torch_bench.py ${workload} failed (exit ${r.status}): ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { torch: string; threads: number; cases: Record<string, Stats>; results: Record<string, number[]> };
    return { version: out.torch, threads: out.threads, cases: out.cases, results: out.results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
