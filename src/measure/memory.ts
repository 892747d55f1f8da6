/**
 * @file How much tensor data a computation keeps alive, measured: every tensor keeps its numbers
 * in a typed array, whose storage Node counts exactly (`process.memoryUsage().arrayBuffers`), and
 * right after a garbage collection that count is the storage still reachable. These helpers take
 * a baseline after a collection, run the computation, collect again and read the difference.
 *
 * Rules the readings rely on:
 * - The collector is reached through V8's `--expose-gc`, set at run time, and a collection frees
 *   dead typed-array storage during the collection itself (`--no-concurrent-array-buffer-sweeping`),
 *   not later on a helper thread, so a reading right after it is exact.
 * - A collection V8 starts by itself inside the run frees garbage the baseline still counted, so
 *   it can only LOWER a reading: the measure is the largest of several readings (three by default).
 * - A "minor" collection (the young generation, where a short run's garbage lives) takes a few
 *   milliseconds; a "major" one the whole heap, a noticeable fraction of a second in a kernel.
 */
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/** Which generations a collection visits: the young one only, or the whole heap. */
export type Collection = "minor" | "major";

/** Options of the memory readings. */
export interface MemoryOptions {
  /** The collection before each reading (default `"minor"`). */
  collection?: Collection;
  /** Readings taken; the largest is returned (default 3). */
  rounds?: number;
}

type GcFn = (opts?: { type: Collection }) => void;
let collector: GcFn | null = null;

/** The collector, exposed on first use. */
function gc(): GcFn {
  if (collector === null) {
    v8.setFlagsFromString("--expose-gc");
    v8.setFlagsFromString("--no-concurrent-array-buffer-sweeping");
    collector = vm.runInNewContext("gc") as GcFn;
  }
  return collector;
}

function check(op: string, opts: MemoryOptions): { collection: Collection; rounds: number } {
  const collection = opts.collection ?? "minor";
  const rounds = opts.rounds ?? 3;
  if (collection !== "minor" && collection !== "major") {
    throw new GradlabError(`${op}: ` + tr('expected collection "minor" or "major", got {got}', { got: String(collection) }));
  }
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new GradlabError(`${op}: ` + tr("expected rounds to be a whole number of at least 1, got {got}", { got: String(rounds) }));
  }
  return { collection, rounds };
}

/**
 * Bytes of typed-array storage (where every tensor keeps its numbers) alive right after a
 * collection.
 * @example liveBytes("major") // e.g. 1048576
 */
export function liveBytes(collection: Collection = "minor"): number {
  check("liveBytes", { collection });
  gc()({ type: collection });
  return process.memoryUsage().arrayBuffers;
}

/**
 * Bytes of typed-array storage that `run`'s result keeps alive: the count after `run` returns
 * (its result still held) less the count before, each right after a collection; the largest of
 * `rounds` readings.
 * @example retainedBytes(() => new Float64Array(1000)) // 8000 (and a little more at most)
 */
export function retainedBytes(run: () => unknown, opts: MemoryOptions = {}): number {
  const { collection, rounds } = check("retainedBytes", opts);
  if (typeof run !== "function") throw new GradlabError("retainedBytes: " + tr("expected a function, got {got}", { got: typeof run }));
  let most = -Infinity;
  for (let k = 0; k < rounds; k++) {
    const base = liveBytes(collection);
    const kept = run();
    most = Math.max(most, liveBytes(collection) - base);
    keep(kept);
  }
  return most;
}

/**
 * Bytes of typed-array storage alive at a chosen moment inside `run`, above the count before it:
 * `run` gets a `probe` to call at that moment (only its first call in a run reads). Reverse mode,
 * for one, holds the most at the end of its forward pass, before any backward pass. The largest
 * of `rounds` readings.
 * @example bytesAtProbe((probe) => jacrev((x) => { const y = f(x); probe(); return y; })(x))
 */
export function bytesAtProbe(run: (probe: () => void) => unknown, opts: MemoryOptions = {}): number {
  const { collection, rounds } = check("bytesAtProbe", opts);
  if (typeof run !== "function") throw new GradlabError("bytesAtProbe: " + tr("expected a function, got {got}", { got: typeof run }));
  let most = -Infinity;
  for (let k = 0; k < rounds; k++) {
    let reading: number | null = null;
    const base = liveBytes(collection);
    run(() => {
      if (reading === null) reading = liveBytes(collection);
    });
    if (reading === null) throw new GradlabError("bytesAtProbe: " + tr("the run never called its probe"));
    most = Math.max(most, reading - base);
  }
  return most;
}

/** Keeps a value reachable up to this call (so the collection before it cannot free it). */
const sink: unknown[] = [];
function keep(value: unknown): void {
  sink.push(value);
  sink.pop();
}
