/**
 * @file What the main thread and the worker of simd-threads.ts share: the layout of the control
 * block through which a product is handed over, the product kernels as calls over a range of
 * rows or columns, and the loop that claims chunks of a job (issue 13, both cores).
 *
 * A job is one product split into chunks (ranges of rows, or of columns for vecmat); either
 * thread claims the next chunk with a compare-exchange on {@link NEXT}, so a slow or sleeping
 * worker costs nothing: the main thread then runs every chunk itself. Rows are split at
 * multiples of 8 and columns at even indices, so each output entry is summed in exactly the
 * order of one call over the whole matrix (simd.wat): results are bit-identical whoever runs
 * which chunk.
 */

/** The part of simd.wat's exports a job calls (byte offsets and sizes). */
export interface ProductExports {
  matvec(a: number, x: number, y: number, m: number, n: number): void;
  vecmat(v: number, b: number, y: number, m: number, p: number, ld: number): void;
  matvec2(a: number, xw: number, yz: number, m: number, n: number, mb: number): void;
  vecmat2(vw: number, b: number, yz: number, m: number, p: number, ld: number): void;
  matmat(a: number, b: number, c: number, m: number, n: number, p: number): void;
}

/**
 * Where the worker's instance keeps $dot4x2's 64-byte scratch block (simd.wat's `scratch`
 * global; the main thread's is at 0): each thread needs its own, as they share the memory.
 */
export const WORKER_SCRATCH = 64;

/** The splittable products; a job's `args` are their operands' offsets and sizes, in this order. */
export const Op = {
  /** [a, x, y, m, n]: y = A x, by rows. */
  Matvec: 1,
  /** [v, b, y, m, p]: y = Bᵀ v, by columns. */
  Vecmat: 2,
  /** [a, xw, yz, m, n]: [A x; A w], by rows. */
  Matvec2: 3,
  /** [vw, b, yz, m, p]: [Bᵀ v; Bᵀ w], by columns. */
  Vecmat2: 4,
  /** [a, b, c, m, n, p]: C = A B, by rows. */
  Matmat: 5,
} as const;
export type Op = (typeof Op)[keyof typeof Op];

/** Whether `op` is split by columns (vecmat, vecmat2) rather than rows. */
export function byColumns(op: Op): boolean {
  return op === Op.Vecmat || op === Op.Vecmat2;
}

/** Rows or columns that one chunk boundary must be a multiple of (see the @file comment). */
export function chunkAlign(op: Op): number {
  return byColumns(op) ? 2 : op === Op.Matmat ? 1 : 8;
}

/** The rows (or columns) a job of `op` splits: its extent. */
export function extentOf(op: Op, args: ArrayLike<number>): number {
  return byColumns(op) ? args[4] : args[3];
}

/** Bytes of the output of a job of `op` (at args[2]): vecmat, vecmat2 and matmat add into it. */
export function outputBytes(op: Op, args: ArrayLike<number>): number {
  const [m, n] = [args[3], args[4]];
  const entries = { [Op.Matvec]: m, [Op.Matvec2]: 2 * m, [Op.Vecmat]: n, [Op.Vecmat2]: 2 * n, [Op.Matmat]: m * args[5] }[op];
  return entries * 8;
}

/**
 * Runs rows (or columns) [from, to) of the product `op`: the kernel of simd.wat on that range,
 * row strides those of the whole matrix.
 * @example callRange(exports, Op.Matvec, [pa, px, py, m, n], 0, m) // y = A x, whole
 */
export function callRange(fn: ProductExports, op: Op, args: ArrayLike<number>, from: number, to: number): void {
  const r = to - from;
  switch (op) {
    case Op.Matvec:
      fn.matvec(args[0] + from * args[4] * 8, args[1], args[2] + from * 8, r, args[4]);
      return;
    case Op.Matvec2:
      fn.matvec2(args[0] + from * args[4] * 8, args[1], args[2] + from * 8, r, args[4], args[3] * 8);
      return;
    case Op.Vecmat:
      fn.vecmat(args[0], args[1] + from * 8, args[2] + from * 8, args[3], r, args[4] * 8);
      return;
    case Op.Vecmat2:
      fn.vecmat2(args[0], args[1] + from * 8, args[2] + from * 8, args[3], r, args[4] * 8);
      return;
    case Op.Matmat:
      fn.matmat(args[0] + from * args[4] * 8, args[1], args[2] + from * args[5] * 8, r, args[4], args[5]);
      return;
  }
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
/** The current job: its op, its number of chunks, the rows (or columns) per chunk. */
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
    const step = ctrl[STEP];
    const op = ctrl[OP] as Op;
    callRange(fn, op, args, c * step, Math.min((c + 1) * step, extentOf(op, args)));
    ran++;
  }
}
