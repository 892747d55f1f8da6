/**
 * @file `node dist/bench/threads.js`: where splitting a product over both cores starts to pay.
 * Times each product of simd-threads.ts on one thread and on two, interleaved (bench/timing.ts),
 * across sizes, and prints the ratio two / one per size: the thresholds THREADS_ROWS_MIN,
 * THREADS_PARTIALS_MIN and THREADS_MATMAT_MIN of src/tensor/simd.ts are the smallest work (in
 * multiply-adds) from which the ratio stays below 1.
 *
 * Usage: npm run bench:threads, or node dist/bench/threads.js [--quick]
 */
import { Rng, hvp, matmul, softplus, sum, tensor, valueAndGrad, type Tensor } from "../src/index.js";
import { matmulKernel, matmulPairKernel } from "../src/tensor/matmul.js";
import { setThreadMode, simdAvailable, threadStats } from "../src/tensor/simd.js";
import { normals } from "../test/support/rng.js";
import { compare, type TimingOptions } from "./timing.js";

const rng = new Rng(13);
const rand = (shape: number[]): Tensor =>
  tensor(
    normals(
      rng,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
  );

/** Runs fn with products split over both cores ("always", or as the library chooses) or on one ("off"). */
function withThreads<T>(two: boolean, fn: () => T, mode: "always" | "auto" = "always"): T {
  const before = setThreadMode(two ? mode : "off");
  try {
    return fn();
  } finally {
    setThreadMode(before);
  }
}

/** One row of the table: the ratio two threads / one for each product at this shape. */
function row(cases: Record<string, () => unknown>, t: TimingOptions, mode: "always" | "auto" = "always"): string[] {
  const timed: Record<string, () => unknown> = {};
  for (const [name, f] of Object.entries(cases)) {
    timed[`${name} 1`] = () => withThreads(false, f);
    timed[`${name} 2`] = () => withThreads(true, f, mode);
  }
  const s = compare(timed, t);
  return Object.keys(cases).map((name) => {
    const one = s[`${name} 1`].median;
    const two = s[`${name} 2`].median;
    return `${name} ${(two / one).toFixed(2)} (${(one * 1000).toFixed(0)} us)`;
  });
}

async function main(argv: string[]): Promise<void> {
  if (!simdAvailable() || threadStats() === null) {
    console.log("threads: no SIMD kernels or no worker (npm run build; GRADLAB_THREADS=1 or GRADLAB_WASM=0 set?)");
    return;
  }
  const quick = argv.includes("--quick");
  const t: TimingOptions = quick
    ? { warmup: 2, minRounds: 5, maxRounds: 9, budgetMs: 400 }
    : { warmup: 3, minRounds: 11, maxRounds: 41, budgetMs: 1500 };
  // start the worker and let it get ready
  withThreads(true, () => matmulKernel(rand([64, 64]), rand([64])));
  while (!threadStats()?.ready) await new Promise((r) => setTimeout(r, 10));

  console.log("two threads / one thread, median of interleaved runs (below 1: two are faster)");
  console.log(`load average ${(await import("node:os")).loadavg()[0].toFixed(1)}`);
  for (const [m, n] of [
    [64, 64],
    [128, 128],
    [181, 181],
    [256, 256],
    [362, 362],
    [512, 512],
    [724, 724],
    [1024, 1024],
    [1448, 1448],
    [2000, 1000],
    [4000, 1000],
  ]) {
    const a = rand([m, n]);
    const x = rand([n]);
    const w = rand([n]);
    const v = rand([m]);
    const u = rand([m]);
    const cells = row(
      {
        matvec: () => matmulKernel(a, x),
        vecmat: () => matmulKernel(v, a),
        matvec2: () => matmulPairKernel(a, x, w, "left"),
        vecmat2: () => matmulPairKernel(a, v, u, "right"),
      },
      t,
    );
    console.log(`${m}x${n} (${m * n} multiply-adds): ${cells.join(", ")}`);
  }
  for (const n of [24, 32, 40, 50, 64, 96, 128, 256]) {
    const a = rand([n, n]);
    const b = rand([n, n]);
    const [cell] = row({ matmat: () => matmulKernel(a, b) }, t);
    console.log(`${n}x${n} @ ${n}x${n} (${n * n * n} multiply-adds): ${cell}`);
  }
  // W1 and W3 of `npm run bench` (A 4000 x 1000), products split where the library chooses to
  const a = rand([4000, 1000]);
  const x = rand([1000]);
  const v = rand([1000]);
  const loss = (p: Tensor) => sum(softplus(matmul(a, p)));
  const cells = row(
    { "W1 value+grad": () => valueAndGrad(loss)(x)[1].toFloat64Array(), "W3 hvp": () => hvp(loss, x, v).toFloat64Array() },
    t,
    "auto",
  );
  console.log(`4000x1000, thresholds as the library sets them: ${cells.join(", ")}`);
  console.log(`chunks run by the worker: ${threadStats()?.byWorker ?? 0}`);
}

await main(process.argv.slice(2));
