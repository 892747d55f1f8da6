/**
 * @file Both cores for the large products of simd.ts: one worker thread runs
 * simd.wasm on the same shared memory, and a product above a measured size is split between it
 * and the main thread (simd-jobs.ts says how, and why the result is the same bits as on one thread).
 *
 * Lifecycle, for the kernel's executor, whose main thread may be terminated mid-cell (through
 * the inspector) and whose process may be SIGKILLed:
 * - The worker starts on the first large product, unref()'d: it never keeps a process alive and,
 *   being a thread, dies with it. Until it is ready, the main thread runs every chunk itself.
 * - The main thread never waits for the worker to *start* a chunk, only for one it is running
 *   (chunks are claimed by compare-exchange): a busy or sleeping core costs nothing.
 * - A job in flight when the main thread is terminated is closed by the next operation on the
 *   memory ({@link Pool.settle}): it claims what is left (running nothing) and waits for the
 *   worker's running chunk, so no chunk writes into memory that is allocated again.
 * - The worker's memory is the shared WebAssembly memory, which grows under the executor's
 *   RLIMIT_DATA like any other; its JavaScript heap is capped by `resourceLimits`.
 * - If the worker cannot start, exits, or a chunk traps in it, the pool stops and every product
 *   runs on one thread, as it does with GRADLAB_THREADS=1.
 * - On a machine whose other core is busy (a shared server), the worker may be descheduled
 *   holding a chunk, and the main thread then waits: when the product took longer than its own
 *   chunks' pace says one thread would have, the split lost, so the next products run on one
 *   thread ({@link BACKOFF_MAX} at most, doubling while it keeps happening) before trying again.
 */
import { platform } from "#platform";
import type { SimdThread, SimdThreadData } from "../platform/types.js";
import {
  ARGS,
  BUSY,
  BY_WORKER,
  CHUNKS,
  CLOSED,
  CONTROL_WORDS,
  FAILED,
  JOB_MASK,
  NEXT,
  OP,
  READY,
  SEQ,
  STEP,
  outputBytes,
  plan,
  runAll,
  runChunks,
  type Op,
  type ProductExports,
} from "./simd-jobs.js";
import type { WasmMemory } from "./simd-heap.js";

/** What {@link Pool.stats} reports. */
export interface ThreadStats {
  ready: boolean;
  byWorker: number;
  open: boolean;
}

/**
 * Products run on one thread after a split that lost (see the @file comment): at first 8, then
 * twice as many each time the next try loses too, up to this. On a loaded machine, backing off
 * keeps the products near one thread's time where splitting every time costs more (`npm run
 * bench:threads` times the library's own choice against one thread; docs/performance.md has the
 * figures).
 */
const BACKOFF_MAX = 1024;

/**
 * The main thread's side: starts the worker lazily and splits products with it.
 * @example pool.run(exports, Op.Matvec, [pa, px, py, m, n]) // y = A x on both cores
 */
export class Pool {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  private readonly args = new Uint32Array(this.ctrl.buffer, ARGS * 4);
  private worker: SimdThread | undefined;
  private stopped = false;
  private job = 0;
  /** A job was posted and not yet closed (still true after a terminated main thread). */
  private open = false;
  /** Products left to run on one thread, and how many the next loss sets. */
  private backoff = 0;
  private penalty = 0;

  constructor(
    private readonly module: object,
    private readonly memory: WasmMemory,
  ) {}

  /** Whether products are split at all (false once the worker failed). */
  get usable(): boolean {
    return !this.stopped;
  }

  /**
   * Whether the worker is ready, the chunks it has run so far, and whether a job is still open
   * (only after a main thread terminated mid-product, until the next product).
   * @example pool.stats() // { ready: true, byWorker: 12, open: false }
   */
  stats(): ThreadStats {
    return { ready: Atomics.load(this.ctrl, READY) === 1, byWorker: Atomics.load(this.ctrl, BY_WORKER), open: this.open };
  }

  /**
   * Runs the product `op` on both threads (on this one alone while the worker starts, when the
   * pool has stopped, or backing off unless `always`, which tests use). Its operands are in the
   * shared memory; the result is there on return.
   */
  run(fn: ProductExports, op: Op, args: number[], always = false): void {
    const { step, chunks } = plan(op, args);
    const backingOff = this.backoff > 0 && !always;
    if (this.stopped || chunks === 1 || backingOff || !this.start() || Atomics.load(this.ctrl, READY) !== 1) {
      if (backingOff) this.backoff--;
      runAll(fn, op, args);
      return;
    }
    this.settle();
    const job = (this.job = (this.job + 1) & JOB_MASK);
    const ctrl = this.ctrl;
    ctrl[OP] = op;
    ctrl[STEP] = step;
    ctrl[CHUNKS] = chunks;
    this.args.set(args);
    this.open = true;
    Atomics.store(ctrl, FAILED, 0);
    Atomics.store(ctrl, NEXT, job << 7);
    Atomics.store(ctrl, SEQ, job);
    Atomics.notify(ctrl, SEQ);
    const t0 = performance.now();
    const ran = runChunks(fn, ctrl, this.args, job);
    const t1 = performance.now();
    this.settle();
    // one thread would have taken about (t1 - t0) / ran per chunk, for every chunk
    if (ran > 0 && performance.now() - t0 > ((t1 - t0) / ran) * chunks) {
      this.penalty = Math.min(Math.max(2 * this.penalty, 8), BACKOFF_MAX);
      this.backoff = this.penalty;
    } else {
      this.penalty = 0;
    }
    if (Atomics.load(ctrl, FAILED) !== 0) {
      this.stop();
      // the chunks that did run added into the output already
      new Uint8Array(this.memory.buffer, args[2], outputBytes(op, args)).fill(0);
      runAll(fn, op, args);
    }
  }

  /**
   * Closes the last job: no chunk of it may be claimed any more, and the worker has finished the
   * one it runs. Called before each use of the memory (simd.ts), so that a job left open by a
   * terminated main thread never writes into memory allocated again.
   */
  settle(): void {
    if (!this.open) return;
    Atomics.store(this.ctrl, NEXT, (this.job << 7) | CLOSED);
    // BUSY is set before the worker claims: seen 0 after closing, it cannot claim again
    while (!this.stopped && Atomics.load(this.ctrl, BUSY) !== 0) Atomics.wait(this.ctrl, BUSY, 1, 100);
    this.open = false;
  }

  /** Starts the worker unless it runs or cannot; whether the pool is usable. */
  private start(): boolean {
    if (this.worker) return true;
    const workerData: SimdThreadData = { module: this.module, memory: this.memory, control: this.ctrl.buffer as SharedArrayBuffer };
    // the platform starts simd-worker.js (built beside this module) unref()'d, with a small
    // JavaScript heap: it only runs WebAssembly
    const worker = platform.startSimdThread(workerData, () => this.stop());
    if (worker === null) return this.stop();
    this.worker = worker;
    return true;
  }

  private stop(): false {
    this.stopped = true;
    return false;
  }
}
