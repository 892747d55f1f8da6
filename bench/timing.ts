/** @file Timing: warm-up, interleaved repeated runs, median and interquartile range. */

/** Summary of repeated timings of one case, in milliseconds per call. */
export interface Stats {
  median: number;
  q1: number;
  q3: number;
  /** Number of samples the summary is over. */
  samples: number;
  /** Calls per sample (small cases are batched so one sample is long enough to time). */
  inner: number;
  /**
   * Median CPU time (user + system, all threads of this process) per call, in ms. On a busy
   * shared machine wall time grows with the load while CPU time mostly does not; GC helper
   * threads can make it exceed wall time on an idle one.
   */
  cpuMedian: number;
}

/** Options for {@link compare}. */
export interface TimingOptions {
  /** Warm-up rounds before any sample is kept. */
  warmup?: number;
  /** Minimum and maximum number of kept rounds. */
  minRounds?: number;
  maxRounds?: number;
  /** Stop adding rounds (after minRounds) once this much time has gone by, in ms. */
  budgetMs?: number;
  /** Batch calls until one sample takes at least this long, in ms. */
  minSampleMs?: number;
}

const DEFAULTS: Required<TimingOptions> = { warmup: 3, minRounds: 7, maxRounds: 41, budgetMs: 3000, minSampleMs: 5 };

/**
 * The q-quantile of `xs` with linear interpolation (numpy's default).
 *
 * @example
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new Error("quantile: expected at least one sample, got none");
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/**
 * The machine's speed at the moment: the median CPU time (ms) of `runs` passes of one fixed loop
 * of arithmetic over a 512 KB array, in this process. The same work, so it moves only with the
 * processor (its clock, a busy sibling core, other tenants of the host): runs of a benchmark
 * taken hours apart compare through it.
 *
 * @example
 * fixedLoopMs(); // ~230 on the 2-core development machine in a quiet hour
 */
export function fixedLoopMs(runs = 5): number {
  const a = new Float64Array(1 << 16);
  const times: number[] = [];
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    const t = process.cpuUsage();
    for (let pass = 0; pass < 3000; pass++) for (let i = 0; i < a.length; i++) sink += a[i] = a[i]! * 0.5 + i;
    const u = process.cpuUsage(t);
    times.push((u.user + u.system) / 1000);
  }
  if (!Number.isFinite(sink)) throw new Error("fixedLoopMs: the loop's sum is not finite");
  return quantile(times, 0.5);
}

/**
 * Median and quartiles of per-call times (and the median CPU time, when measured).
 *
 * @example
 * summarize([3, 1, 2], 1).median; // 2
 */
export function summarize(times: readonly number[], inner: number, cpuTimes: readonly number[] = []): Stats {
  const cpuMedian = cpuTimes.length ? quantile(cpuTimes, 0.5) : Number.NaN;
  return { median: quantile(times, 0.5), q1: quantile(times, 0.25), q3: quantile(times, 0.75), samples: times.length, inner, cpuMedian };
}

/** Wall and CPU milliseconds per call of `inner` calls of fn. */
function timeOnce(fn: () => unknown, inner: number): [number, number] {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < inner; i++) fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [wall / inner, (c.user + c.system) / 1000 / inner];
}

/**
 * Times several cases round-robin (A B C A B C ...), so that machine noise (other processes on
 * this 2-core box, GC, CPU frequency) hits every case alike and the ratios between them are fair.
 * Returns one {@link Stats} per case, in milliseconds per call.
 *
 * @example
 * const t = compare({ gradlab: () => f(x), baseline: () => g(x) });
 * t.gradlab.median / t.baseline.median; // the ratio the benchmark reports
 */
export function compare(cases: Record<string, () => unknown>, options: TimingOptions = {}): Record<string, Stats> {
  const o = { ...DEFAULTS, ...options };
  const names = Object.keys(cases);
  const inner: Record<string, number> = {};
  for (const name of names) {
    const [first] = timeOnce(cases[name], 1); // also the first warm-up call
    inner[name] = Math.max(1, Math.ceil(o.minSampleMs / Math.max(first, 1e-3)));
  }
  for (let r = 0; r < o.warmup; r++) for (const name of names) timeOnce(cases[name], inner[name]);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const start = performance.now();
  for (let r = 0; r < o.maxRounds; r++) {
    if (r >= o.minRounds && performance.now() - start > o.budgetMs) break;
    for (const name of names) {
      const [wall, c] = timeOnce(cases[name], inner[name]);
      times[name].push(wall);
      cpu[name].push(c);
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(times[n], inner[n], cpu[n])]));
}
