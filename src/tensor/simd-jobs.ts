/**
 * @file What the main thread and the worker of simd-threads.ts share: the layout of the control
 * block through which a product is handed over, how a product splits into chunks ({@link plan}),
 * each chunk as a call of simd.wat, and the loop that claims chunks of a job.
 *
 * A job is one product split into chunks of rows; either thread claims the next chunk with a
 * compare-exchange on {@link NEXT}, so a slow or sleeping worker costs nothing: the main thread
 * then runs every chunk itself. Results never depend on who ran which chunk, nor on whether the
 * product was split at all, because the chunks are a function of the shape alone and every
 * product runs as its chunks, on one thread or two:
 * - matvec, matvec2 and matmat: each output entry is one row's sum, and rows are split at
 *   multiples of 8, so each is summed in exactly the order of one call over the whole matrix
 *   (matvec's kernel, streaming or eight rows at a time, is chosen by the row length alone);
 * - vecmat and vecmat2 (Bᵀ v sums over rows): each chunk of rows sums into its own partial
 *   output, and the caller adds the partials in chunk order ({@link foldPartials}). Whole rows
 *   stream well on both threads, better than a split by columns (every entry one sum) would
 *   (`npm run bench:threads` times the split; docs/performance.md has the figures).
 */

/** The part of simd.wat's exports a job calls (byte offsets and sizes). */
export interface ProductExports {
  matvec(a: number, x: number, y: number, m: number, n: number): void;
  matvecStream(a: number, x: number, y: number, m: number, n: number): void;
  vecmat(v: number, b: number, y: number, m: number, p: number, ld: number): void;
  matvec2(a: number, xw: number, yz: number, m: number, n: number, mb: number): void;
  vecmat2(vw: number, b: number, yz: number, m: number, p: number, ld: number, wb: number): void;
  matmat(a: number, b: number, c: number, m: number, n: number, p: number): void;
}

/**
 * Where the worker's instance keeps $dot4x2's 64-byte scratch block (simd.wat's `scratch`
 * global; the main thread's is at 0): each thread needs its own, as they share the memory.
 */
export const WORKER_SCRATCH = 64;

/** The splittable products; a job's `args` are their operands' offsets and sizes, in this order. */
export const Op = {
  /** [a, x, y, m, n]: y = A x. */
  Matvec: 1,
  /** [v, b, y, m, p]: y = Bᵀ v, as one partial per chunk (chunks x p). */
  Vecmat: 2,
  /** [a, xw, yz, m, n]: [A x; A w]. */
  Matvec2: 3,
  /** [vw, b, yz, m, p]: [Bᵀ v; Bᵀ w], as one partial [y; z] per chunk (chunks x 2p). */
  Vecmat2: 4,
  /** [a, b, c, m, n, p]: C = A B. */
  Matmat: 5,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/**
 * Chunks per product. Four, so that a worker descheduled mid-chunk (a core busy elsewhere) holds
 * the main thread up for at most a quarter of the product.
 */
const CHUNKS_PER_JOB = 4;

/**
 * How a product of `op` splits: rows per chunk (`step`) and the number of chunks, at least one.
 * A function of the shape alone (see the @file comment). Rows go in multiples of 8 (matvec's
 * and vecmat's sweeps), except for matmat, whose rows are independent.
 * @example plan(Op.Vecmat, [pv, pb, py, 4000, 1000]) // { step: 1000, chunks: 4 }
 */
export function plan(op: Op, args: ArrayLike<number>): { step: number; chunks: number } {
  const rows = args[3];
  const align = op === Op.Matmat ? 1 : 8;
  const step = Math.max(align, Math.ceil(rows / CHUNKS_PER_JOB / align) * align);
  return { step, chunks: Math.max(1, Math.ceil(rows / step)) };
}

/** Whether the chunks of `op` write partial outputs that the caller adds up (vecmat, vecmat2). */
export function partialOutputs(op: Op): boolean {
  return op === Op.Vecmat || op === Op.Vecmat2;
}

/** Bytes of the output of a job of `op` (at args[2]), partials included; zeroed before the job. */
export function outputBytes(op: Op, args: ArrayLike<number>): number {
  const [m, n] = [args[3], args[4]];
  const chunks = plan(op, args).chunks;
  const entries = { [Op.Matvec]: m, [Op.Matvec2]: 2 * m, [Op.Vecmat]: chunks * n, [Op.Vecmat2]: chunks * 2 * n, [Op.Matmat]: m * args[5] }[
    op
  ];
  return entries * 8;
}

/**
 * The sum of the `parts` partial outputs of length `len` laid end to end in `out`, added in
 * order ((P0 + P1) + P2) + ...: what vecmat and vecmat2 return.
 * @example foldPartials(new Float64Array([1, 2, 10, 20]), 2, 2) // Float64Array [11, 22]
 */
export function foldPartials(out: Float64Array, parts: number, len: number): Float64Array {
  const y = out.slice(0, len);
  for (let c = 1; c < parts; c++) {
    const o = c * len;
    for (let j = 0; j < len; j++) y[j] += out[o + j];
  }
  return y;
}

/**
 * The longest rows (in entries) for which matvec reads one row at a time (simd.wat's
 * matvecStream); longer rows go eight at a time (matvec), sharing each load of x. The crossover
 * of the two kernels on one thread lies between rows of 2000 and 3000 entries (the figures are
 * in docs/performance.md).
 */
export const STREAM_MAX_COLUMNS = 2048;

/**
 * Runs chunk `c` (rows [c step, min((c + 1) step, m))) of the product `op`: the kernel of
 * simd.wat on those rows, into the output's rows or, for vecmat and vecmat2, into partial `c`.
 * @example runChunk(exports, Op.Matvec, [pa, px, py, m, n], 0, m) // y = A x, whole
 */
export function runChunk(fn: ProductExports, op: Op, args: ArrayLike<number>, c: number, step: number): void {
  const from = c * step;
  const r = Math.min(from + step, args[3]) - from;
  const n = args[4];
  switch (op) {
    case Op.Matvec:
      if (n <= STREAM_MAX_COLUMNS) fn.matvecStream(args[0] + from * n * 8, args[1], args[2] + from * 8, r, n);
      else fn.matvec(args[0] + from * n * 8, args[1], args[2] + from * 8, r, n);
      return;
    case Op.Matvec2:
      fn.matvec2(args[0] + from * n * 8, args[1], args[2] + from * 8, r, n, args[3] * 8);
      return;
    case Op.Vecmat:
      fn.vecmat(args[0] + from * 8, args[1] + from * n * 8, args[2] + c * n * 8, r, n, n * 8);
      return;
    case Op.Vecmat2:
      fn.vecmat2(args[0] + from * 8, args[1] + from * n * 8, args[2] + c * 2 * n * 8, r, n, n * 8, args[3] * 8);
      return;
    case Op.Matmat:
      fn.matmat(args[0] + from * n * 8, args[1], args[2] + from * args[5] * 8, r, n, args[5]);
      return;
  }
}

/**
 * Runs every chunk of the product `op` on this thread, in order: the product when it is not split.
 * @example runAll(exports, Op.Vecmat, [pv, pb, py, m, p]) // then foldPartials
 */
export function runAll(fn: ProductExports, op: Op, args: ArrayLike<number>): void {
  const { step, chunks } = plan(op, args);
  for (let c = 0; c < chunks; c++) runChunk(fn, op, args, c, step);
}

// The control block: Int32 words of a SharedArrayBuffer.
/** The number of the latest job; the worker sleeps on it (Atomics.wait) between jobs. */
export const SEQ = 0;
/** (job number << 7) | next unclaimed chunk; {@link CLOSED} in the chunk bits: nothing to claim. */
export const NEXT = 1;
/** 1 while the worker may claim or run a chunk (set before it claims, cleared after). */
export const BUSY = 2;
/** 1 once the worker has instantiated the module. */
export const READY = 3;
/** Chunks the worker has run, in all (tests check that it takes part). */
export const BY_WORKER = 4;
/** The current job: its op, its number of chunks, the rows per chunk. */
export const OP = 5;
export const CHUNKS = 6;
export const STEP = 7;
/** The job's arguments, as unsigned words (offsets may pass 2³¹): {@link ARGS}..ARGS+5. */
export const ARGS = 8;
/** Set by the worker when a chunk trapped: the main thread redoes the job and stops the pool. */
export const FAILED = 15;
export const CONTROL_WORDS = 16;
/** Chunk bits of {@link NEXT} when no chunk may be claimed; jobs have fewer chunks than this. */
export const CLOSED = 127;
/** Job numbers wrap within the 24 bits above the chunk bits. */
export const JOB_MASK = 0xffffff;

/**
 * Claims and runs chunks of job `job` until none is left (or the job is no longer current);
 * returns how many it ran.
 * @example runChunks(exports, ctrl, args, job)
 */
export function runChunks(fn: ProductExports, ctrl: Int32Array, args: Uint32Array, job: number): number {
  let ran = 0;
  for (;;) {
    const v = Atomics.load(ctrl, NEXT);
    const c = v & CLOSED;
    // read before the compare-exchange: if it succeeds, NEXT was still this job's, so these are too
    const chunks = ctrl[CHUNKS];
    if (v >>> 7 !== job || c >= chunks) return ran;
    if (Atomics.compareExchange(ctrl, NEXT, v, v + 1) !== v) continue;
    runChunk(fn, ctrl[OP] as Op, args, c, ctrl[STEP]);
    ran++;
  }
}
