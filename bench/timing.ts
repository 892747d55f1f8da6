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
 * Median and quartiles of per-call times.
 *
 * @example
 * summarize([3, 1, 2], 1).median; // 2
 */
export function summarize(times: readonly number[], inner: number): Stats {
  return { median: quantile(times, 0.5), q1: quantile(times, 0.25), q3: quantile(times, 0.75), samples: times.length, inner };
}

function timeOnce(fn: () => unknown, inner: number): number {
  const t0 = performance.now();
  for (let i = 0; i < inner; i++) fn();
  return (performance.now() - t0) / inner;
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
    const first = timeOnce(cases[name], 1); // also the first warm-up call
    inner[name] = Math.max(1, Math.ceil(o.minSampleMs / Math.max(first, 1e-3)));
  }
  for (let r = 0; r < o.warmup; r++) for (const name of names) timeOnce(cases[name], inner[name]);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const start = performance.now();
  for (let r = 0; r < o.maxRounds; r++) {
    if (r >= o.minRounds && performance.now() - start > o.budgetMs) break;
    for (const name of names) times[name].push(timeOnce(cases[name], inner[name]));
  }
  return Object.fromEntries(names.map((n) => [n, summarize(times[n], inner[n])]));
}
