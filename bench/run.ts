/**
 * @file `npm run bench`: the autodiff workloads W1-W5. Prints a table of figures (each a ratio
 * against a baseline timed in the same run, or an absolute time where the workload's target is
 * one) and writes them with the raw timings to out/bench/autodiff.json. The torch column (target:
 * W1-W3 at most 1.5x torch float64 on one thread) is timed by bench/torch_bench.py right after
 * gradlab.
 *
 * Usage: node dist/bench/run.js [--quick] [--only W1,W4] [--out FILE]
 */
import { collectNow } from "../kernel/node/reserve.js";
import { formatTable, machineInfo, writeJson, type Figure } from "./report.js";
import type { TimingOptions } from "./timing.js";
import { torchAvailable } from "./torch.js";
import { jacobianWorkload, logdetWorkload, logisticWorkloads, scalarChainWorkload, type WorkloadResult } from "./workloads.js";

/** Workload groups by the names they report (W1 and W3 share their data and run together). */
const GROUPS: Record<string, { names: string[]; run: (t: TimingOptions) => Promise<WorkloadResult[]> }> = {
  logistic: { names: ["W1", "W3"], run: (t) => logisticWorkloads(t) },
  logdet: { names: ["W2"], run: async (t) => [logdetWorkload(t)] },
  chain: { names: ["W4"], run: async (t) => [scalarChainWorkload(t)] },
  jacobian: { names: ["W5"], run: async (t) => [jacobianWorkload(t)] },
};

function parseArgs(argv: string[]): { quick: boolean; only: Set<string> | undefined; out: string } {
  let quick = false;
  let only: Set<string> | undefined;
  let out = "out/bench/autodiff.json";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") quick = true;
    else if (a === "--only" && argv[i + 1]) only = new Set(argv[++i].toUpperCase().split(","));
    else if (a === "--out" && argv[i + 1]) out = argv[++i];
    else throw new Error(`bench: expected --quick, --only W1,W2,... or --out FILE, got "${a}"`);
  }
  return { quick, only, out };
}

/**
 * Runs the selected workloads and reports them; returns the exit code (1 if a result disagreed).
 *
 * @example
 * await main(["--only", "W1"]);
 */
export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const timing: TimingOptions = args.quick
    ? { warmup: 1, minRounds: 3, maxRounds: 5, budgetMs: 500 }
    : { warmup: 3, minRounds: 9, maxRounds: 41, budgetMs: 4000 };
  const figures: Figure[] = [];
  const results: Record<string, unknown> = {};
  for (const [group, { names, run }] of Object.entries(GROUPS)) {
    if (args.only && !names.some((n) => args.only?.has(n))) continue;
    // The garbage the previous group left (W1's 32 MB matrix and its temporaries) is collected
    // first: otherwise the first W2 rounds after W1 and W3 ran beside V8 collecting that heap
    // (gradlab's W2 at 8.3 ms, then 3.3-5.2 ms, in one process).
    collectNow();
    process.stderr.write(`bench: running ${names.join(", ")} ...\n`);
    const out = await run(timing);
    out.forEach((r, i) => {
      figures.push(...r.figures);
      results[names[i] ?? `${group}${i}`] = r;
    });
  }
  console.log(formatTable(figures));
  if (!torchAvailable())
    console.log("\nno torch column: /usr/bin/python3 cannot import torch and numpy (Debian: apt-get install python3-torch).");
  const unmet = figures.filter((f) => f.met === false).length;
  console.log(
    `\n${figures.filter((f) => f.met !== undefined).length - unmet} targets met, ${unmet} not met; median of repeated interleaved runs.`,
  );
  const meta = { ...machineInfo(), timing };
  const [load] = meta.loadavg;
  if (load > meta.cores)
    console.log(`note: load average ${load.toFixed(1)} on ${meta.cores} cores: absolute times are inflated, compare cpu times.`);
  writeJson(args.out, { meta, figures, results });
  console.log(`written ${args.out}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
