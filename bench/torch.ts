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
export function runTorch(
  workload: string,
  data: Record<string, Float64Array>,
  dims: Record<string, unknown>,
  timing: TimingOptions,
): TorchRun | undefined {
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
    const r = spawnSync(PYTHON, [SCRIPT], {
      input,
      encoding: "utf8",
      maxBuffer: 1 << 28,
      env: { ...process.env, OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
    });
    if (r.status !== 0) throw new Error(`torch_bench.py ${workload} failed (exit ${r.status}): ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { torch: string; threads: number; cases: Record<string, Stats>; results: Record<string, number[]> };
    return { version: out.torch, threads: out.threads, cases: out.cases, results: out.results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Rounds in which gradlab's timing and torch's alternate (see {@link alternateWithTorch}). */
const ROUNDS = 3;

/** One summary of several rounds' summaries of the same case: medians of their figures. */
function mergeStats(list: readonly Stats[]): Stats {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  return {
    median: mid(list.map((s) => s.median)),
    q1: mid(list.map((s) => s.q1)),
    q3: mid(list.map((s) => s.q3)),
    samples: list.reduce((n, s) => n + s.samples, 0),
    inner: list[0].inner,
    cpuMedian: mid(list.map((s) => s.cpuMedian)),
  };
}

function mergeRecords(list: readonly Record<string, Stats>[]): Record<string, Stats> {
  return Object.fromEntries(Object.keys(list[0]).map((k) => [k, mergeStats(list.map((r) => r[k]))]));
}

/**
 * Times gradlab (`time`, which runs bench/timing.ts's `compare` on the options it is given and
 * returns one or more stats records) and torch's `workload` in alternating rounds, each with a
 * share of the time budget, so that a change in the shared machine's load between the two hits
 * both columns alike. Each case's figures are the middle of its per-round medians.
 *
 * @example
 * const [[w2], torch] = alternateWithTorch((o) => [compare(cases, o)], "logdet", { x }, { n: 300 }, t);
 */
export function alternateWithTorch(
  time: (t: TimingOptions) => Record<string, Stats>[],
  workload: string,
  data: Record<string, Float64Array>,
  dims: Record<string, unknown>,
  t: TimingOptions,
): [Record<string, Stats>[], TorchRun | undefined] {
  const share: TimingOptions = {
    ...t,
    minRounds: Math.max(3, Math.ceil((t.minRounds ?? 7) / ROUNDS)),
    maxRounds: Math.max(3, Math.ceil((t.maxRounds ?? 41) / ROUNDS)),
    budgetMs: (t.budgetMs ?? 3000) / ROUNDS,
  };
  const ours: Record<string, Stats>[][] = [];
  const theirs: TorchRun[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ours.push(time(share));
    const run = runTorch(workload, data, dims, share);
    if (run) theirs.push(run);
  }
  const merged = ours[0].map((_, i) => mergeRecords(ours.map((round) => round[i])));
  if (theirs.length === 0) return [merged, undefined];
  return [merged, { ...theirs[0], cases: mergeRecords(theirs.map((run) => run.cases)) }];
}
