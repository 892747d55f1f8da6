/**
 * @file How much tensor data a computation keeps alive, measured: every tensor keeps its numbers
 * in a typed array, whose storage Node counts (`process.memoryUsage().arrayBuffers`), and after a
 * garbage collection that count is the storage still reachable. These helpers take a baseline
 * after a collection, run the computation, collect again and read the difference.
 *
 * The collector and the count are the platform's (src/platform/): Node's; a browser has neither
 * (a page can neither start a garbage collection nor read how much typed-array storage is
 * reachable), and every measure then throws; `memoryUnavailable` says so beforehand, for a
 * notebook that shows its memory figures only where they can be read.
 *
 * Rules the readings rely on:
 * - The collector is reached through V8's `--expose-gc`, set at run time, with
 *   `--no-concurrent-array-buffer-sweeping`: a full collection (`gc()` without options) then gives
 *   dead typed-array storage back during the collection itself, so a reading right after it is
 *   exact. (`gc({ type: "major" })` does not always free it, and without the flag the storage is
 *   given back on a helper thread, the count dropping only after the event loop has turned:
 *   `retainedBytes` also lets it turn before each reading.)
 * - A young-generation ("minor") collection is faster, but garbage that V8 has already moved to the
 *   old generation stays counted after it: a "minor" reading can be too high.
 * - The baseline can still count garbage: old garbage after a minor collection, and, on a loaded
 *   machine, storage a full collection freed but V8 has not yet given back. When a collection
 *   inside the run (V8's own, or the reading's) frees it, the reading drops, even below zero; it
 *   can only LOWER a reading, so every measure is the largest of several readings (three by
 *   default), and `retainedBytes` reads a count only once it holds still across turns of the
 *   event loop.
 */
import { platform } from "#platform";
import type { MemoryCounters } from "../platform/types.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/** Which generations a collection visits: the young one only, or the whole heap. */
export type Collection = "minor" | "major";

/** Options of the memory readings. */
export interface MemoryOptions {
  /** The collection before each reading (default `"major"`; `retainedBytes` always collects the whole heap). */
  collection?: Collection;
  /** Readings taken; the largest is returned (default 3). */
  rounds?: number;
}

/** Why the platform has no counters, in the kernel's language. */
const noCounters = (): string =>
  tr("memory is measured with the counters of Node's JavaScript engine, which a browser does not have: run it in the installed kernel");

/** The platform's counters; a browser has none, and every measure then says it needs Node. */
function counters(op: string): MemoryCounters {
  if (platform.memory === null) throw new GradlabError(`${op}: ${noCounters()}`);
  return platform.memory;
}

/**
 * Null where the memory measures can be taken (Node), else why not, a sentence in the kernel's
 * language (a browser, where every measure throws it).
 * @example const why = memoryUnavailable(); if (why !== null) console.log(`KiB: not measured (${why})`)
 */
export function memoryUnavailable(): string | null {
  return platform.memory === null ? noCounters() : null;
}

function check(op: string, opts: MemoryOptions): { collection: Collection; rounds: number } {
  const collection = opts.collection ?? "major";
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
 * collection (a full one by default).
 * @example liveBytes("major") // e.g. 1048576
 */
export function liveBytes(collection: Collection = "major"): number {
  check("liveBytes", { collection });
  const memory = counters("liveBytes");
  memory.collect(collection);
  return memory.arrayBufferBytes();
}

/**
 * Bytes of typed-array storage that `run`'s result keeps alive: the count after `run` returns
 * (its result still held) less the count before, each after a full collection and a turn of the
 * event loop; the largest of `rounds` readings. Async: `await` it.
 * @example await retainedBytes(() => hessian(f)(x)) // 8 d^2 bytes for d inputs
 */
export async function retainedBytes(run: () => unknown, opts: Pick<MemoryOptions, "rounds"> = {}): Promise<number> {
  const { rounds } = check("retainedBytes", { rounds: opts.rounds });
  if (typeof run !== "function") throw new GradlabError("retainedBytes: " + tr("expected a function, got {got}", { got: typeof run }));
  counters("retainedBytes");
  let most = -Infinity;
  for (let k = 0; k < rounds; k++) {
    const base = await settledBytes();
    const kept = run();
    most = Math.max(most, (await settledBytes()) - base);
    keep(kept);
  }
  return most;
}

/** The count after full collections, once two readings a turn of the event loop apart agree (at most 20 turns). */
async function settledBytes(): Promise<number> {
  let last = liveBytes("major");
  for (let turn = 0; turn < 20; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    const now = liveBytes("major");
    if (now === last) return now;
    last = now;
  }
  return last;
}

/**
 * Bytes of typed-array storage alive at a chosen moment inside `run`, above the count before it:
 * `run` gets a `probe` to call at that moment (only its first call in a run reads). Reverse mode,
 * for one, holds the most at the end of its forward pass, before any backward pass. The largest
 * of `rounds` readings, each after a full collection by default.
 * @example bytesAtProbe((probe) => jacrev((x) => { const y = f(x); probe(); return y; })(x))
 */
export function bytesAtProbe(run: (probe: () => void) => unknown, opts: MemoryOptions = {}): number {
  const { collection, rounds } = check("bytesAtProbe", opts);
  if (typeof run !== "function") throw new GradlabError("bytesAtProbe: " + tr("expected a function, got {got}", { got: typeof run }));
  counters("bytesAtProbe");
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
