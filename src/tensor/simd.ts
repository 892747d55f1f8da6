/**
 * @file The one switch between the plain Float64Array kernels and the WebAssembly SIMD ones
 * (simd.wat, assembled into simd.wasm beside this module by `npm run build`).
 *
 * The SIMD kernels are off when WebAssembly SIMD is missing, when simd.wasm was not built, or
 * when the environment says `GRADLAB_WASM=0`; the kernels in matmul.ts and linalg.ts then run
 * their plain loops, which stay the reference. Otherwise each fast kernel copies its operands into the
 * module's linear memory, runs, and copies the result out. For the matrix of a matrix-vector
 * product the copy costs as much as the product, so a matrix seen a second time stays resident
 * there, keyed by its storage: A in A x forward and in Aᵀ r backward is copied once per tensor,
 * not per call. Only storage that no user code holds becomes resident ({@link isShared}: once
 * `Tensor.data` hands it out, or it came from `new Tensor(array)`, it is copied per call, and a
 * resident copy made before is dropped), so a result never comes from numbers since changed. Resident copies are bounded by {@link RESIDENT_BUDGET}
 * (least recently used first out) and freed when their storage is collected. Cubic kernels
 * (matrix products, Cholesky, inverse) copy their operands each call: that is O(n²) beside O(n³).
 * The memory is shared: products above {@link THREADS_ROWS_MIN} and its siblings are split with
 * a worker thread running the same module (simd-threads.ts), with the same bits as on one thread,
 * where the platform has threads (Node; in a browser every product runs on one thread, on a
 * build of the module whose memory is not shared, which needs no cross-origin isolation).
 * The bytes of simd.wasm come from the platform (src/platform/): read from disk, or fetched.
 */
import { platform } from "#platform";
import { Heap, type Block, type WasmMemory } from "./simd-heap.js";
import { Op, foldPartials, partialOutputs, plan, runAll, type ProductExports } from "./simd-jobs.js";
import { Pool, type ThreadStats } from "./simd-threads.js";
import { isShared } from "./tensor.js";

/** The part of the WebAssembly API used here (tsconfig's lib "ES2022" declares none of it). */
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (binary: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  validate(binary: Uint8Array): boolean;
}
/** Absent under `node --jitless`. */
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** When the fast kernels run: never, above each kernel's size threshold, or always (tests). */
export type SimdMode = "off" | "auto" | "always";
/** When a product is split over both cores: never, above its threshold, or always (tests). */
export type ThreadMode = SimdMode;

/*
 * Multiply-adds from which a product runs on two threads (below, one thread is faster: waking the
 * worker and splitting cost more than half the product): each is the crossover `npm run
 * bench:threads` measures (two threads' time / one thread's, per size) for its products.
 * THREADS_ROWS_MIN: matvec and matvec2 (chunks of rows of the output); THREADS_PARTIALS_MIN:
 * vecmat and vecmat2 (chunks of rows into partials); THREADS_MATMAT_MIN: matrix products.
 * The figures behind them are in docs/performance.md.
 */
export const THREADS_ROWS_MIN = 1 << 19;
export const THREADS_PARTIALS_MIN = 1_500_000;
export const THREADS_MATMAT_MIN = 800_000;
/** WebAssembly pages the shared memory may grow to (4 GiB, wasm32's limit). */
const MAX_PAGES = 65536;

/** Matrices of matrix-vector products at least this large (bytes) may become resident. */
const RESIDENT_MIN = 1 << 18;
/** At most this many bytes of resident copies; operands larger than it are copied per call. */
const RESIDENT_BUDGET = 256 * 2 ** 20;

/** The exports of simd.wat: byte offsets and sizes in, results written to memory. */
interface Exports extends ProductExports {
  cholesky(a: number, l: number, n: number): number;
  choleskyInverse(l: number, u: number, x: number, n: number): void;
}

/** A resident copy of some storage. */
interface Resident extends Block {
  source: WeakRef<Float64Array>;
}

/**
 * The SIMD kernels with their memory. Each method returns `undefined` when the memory cannot
 * grow enough, and the caller then runs the plain kernel.
 */
class Simd {
  private readonly heap: Heap;
  private readonly resident = new WeakMap<Float64Array, Resident>();
  /** Matrices used once so far: the next use makes them resident. */
  private readonly seen = new WeakSet<Float64Array>();
  /** Resident copies in order of last use (a Set iterates in insertion order). */
  private readonly recent = new Set<Resident>();
  private residentBytes = 0;
  private readonly collected = new FinalizationRegistry<Resident>((r) => this.evict(r));

  constructor(
    private readonly fn: Exports,
    private readonly memory: WasmMemory,
    /** Both cores, unless GRADLAB_THREADS=1, the platform has no threads, or shared memory cannot be posted to a worker. */
    readonly pool: Pool | null,
  ) {
    this.heap = new Heap(memory);
  }

  /** y = A x for A m x n. @example simd.matvec(a, x, 2, 3) */
  matvec(a: Float64Array, x: Float64Array, m: number, n: number): Float64Array | undefined {
    return this.run([a, x], [m], ([pa, px], [py]) => this.product(Op.Matvec, [pa, px, py, m, n], m * n), a)?.[0];
  }

  /** y = Bᵀ v for v of length m, B m x p. @example simd.vecmat(v, b, 3, 2) */
  vecmat(v: Float64Array, b: Float64Array, m: number, p: number): Float64Array | undefined {
    const { chunks } = plan(Op.Vecmat, [0, 0, 0, m, p]);
    const parts = this.run([v, b], [chunks * p], ([pv, pb], [py]) => this.product(Op.Vecmat, [pv, pb, py, m, p], m * p), b)?.[0];
    return parts && foldPartials(parts, chunks, p);
  }

  /**
   * [A x, A w] for A m x n in one sweep over A.
   * @example const [ax, aw] = simd.matvec2(a, x, w, 4000, 1000)!;
   */
  matvec2(a: Float64Array, x: Float64Array, w: Float64Array, m: number, n: number): [Float64Array, Float64Array] | undefined {
    const yz = this.run([a, stack2(x, w)], [2 * m], ([pa, pxw], [pyz]) => this.product(Op.Matvec2, [pa, pxw, pyz, m, n], m * n), a)?.[0];
    return yz && [yz.subarray(0, m), yz.subarray(m)];
  }

  /**
   * [Bᵀ v, Bᵀ w] for B m x p in one sweep over B.
   * @example const [bv, bw] = simd.vecmat2(v, w, b, 4000, 1000)!;
   */
  vecmat2(v: Float64Array, w: Float64Array, b: Float64Array, m: number, p: number): [Float64Array, Float64Array] | undefined {
    const { chunks } = plan(Op.Vecmat2, [0, 0, 0, m, p]);
    const parts = this.run(
      [stack2(v, w), b],
      [chunks * 2 * p],
      ([pvw, pb], [pyz]) => this.product(Op.Vecmat2, [pvw, pb, pyz, m, p], m * p),
      b,
    )?.[0];
    const yz = parts && foldPartials(parts, chunks, 2 * p);
    return yz && [yz.subarray(0, p), yz.subarray(p)];
  }

  /** C = A B for A m x n, B n x p. @example simd.matmat(a, b, 2, 3, 4) */
  matmat(a: Float64Array, b: Float64Array, m: number, n: number, p: number): Float64Array | undefined {
    return this.run([a, b], [m * p], ([pa, pb], [pc]) => this.product(Op.Matmat, [pa, pb, pc, m, n, p], m * n * p))?.[0];
  }

  /** Runs a product on both cores when it is large enough (`work` multiply-adds), else on this one. */
  private product(op: Op, args: number[], work: number): void {
    const min = op === Op.Matmat ? THREADS_MATMAT_MIN : partialOutputs(op) ? THREADS_PARTIALS_MIN : THREADS_ROWS_MIN;
    if (this.pool?.usable && threadMode !== "off" && (threadMode === "always" || work >= min))
      this.pool.run(this.fn, op, args, threadMode === "always");
    else runAll(this.fn, op, args);
  }

  /**
   * The Cholesky factor L of A (n x n), `null` when A is not positive definite.
   * @example simd.cholesky(new Float64Array([4, 2, 2, 3]), 2)
   */
  cholesky(a: Float64Array, n: number): Float64Array | null | undefined {
    let ok = 0;
    const out = this.run([a], [n * n], ([pa], [pl]) => {
      ok = this.fn.cholesky(pa, pl, n);
    });
    return out === undefined ? undefined : ok ? out[0] : null;
  }

  /** A^{-1} = L^{-T} L^{-1} from the Cholesky factor L. @example simd.choleskyInverse(L, n) */
  choleskyInverse(l: Float64Array, n: number): Float64Array | undefined {
    return this.run([l], [n * n, n * n], ([pl], [pu, px]) => this.fn.choleskyInverse(pl, pu, px, n))?.[1];
  }

  /**
   * Places `inputs` in memory (copied, or the `keep` one resident when it qualifies), zeroes
   * outputs of the given lengths, calls `kernel` with their offsets and copies the outputs out;
   * frees the temporaries.
   */
  private run(
    inputs: Float64Array[],
    outLengths: number[],
    kernel: (ins: number[], outs: number[]) => void,
    keep?: Float64Array,
  ): Float64Array[] | undefined {
    // a split product left open by a terminated main thread must end before memory is reused
    this.pool?.settle();
    const temps: Block[] = [];
    try {
      const ins: number[] = [];
      for (const a of inputs) {
        const r = a === keep ? this.residentCopy(a) : undefined;
        if (r) {
          ins.push(r.off);
          continue;
        }
        const off = this.temp(a.byteLength, temps);
        if (off < 0) return undefined;
        new Float64Array(this.memory.buffer, off, a.length).set(a);
        ins.push(off);
      }
      const outs: number[] = [];
      for (const len of outLengths) {
        const off = this.temp(len * 8, temps);
        if (off < 0) return undefined;
        new Float64Array(this.memory.buffer, off, len).fill(0);
        outs.push(off);
      }
      kernel(ins, outs);
      return outs.map((off, i) => new Float64Array(this.memory.buffer, off, outLengths[i]).slice());
    } finally {
      for (const t of temps) this.heap.release(t.off, t.bytes);
    }
  }

  private temp(bytes: number, temps: Block[]): number {
    const off = this.heap.alloc(bytes);
    if (off >= 0) temps.push({ off, bytes });
    return off;
  }

  /**
   * The resident copy of `a`, made (evicting the least recently used) on its second use; else
   * undefined (the caller copies it for this call only).
   */
  private residentCopy(a: Float64Array): Resident | undefined {
    const hit = this.resident.get(a);
    if (isShared(a)) {
      // user code holds this storage and may have changed it since the copy was made
      if (hit) this.evict(hit);
      return undefined;
    }
    if (hit) {
      this.recent.delete(hit);
      this.recent.add(hit);
      return hit;
    }
    if (a.byteLength < RESIDENT_MIN || a.byteLength > RESIDENT_BUDGET) return undefined;
    if (!this.seen.has(a)) {
      this.seen.add(a);
      return undefined;
    }
    this.seen.delete(a);
    for (const r of this.recent) {
      if (this.residentBytes + a.byteLength <= RESIDENT_BUDGET) break;
      this.evict(r);
    }
    const off = this.heap.alloc(a.byteLength);
    if (off < 0) return undefined;
    new Float64Array(this.memory.buffer, off, a.length).set(a);
    const r: Resident = { off, bytes: a.byteLength, source: new WeakRef(a) };
    this.resident.set(a, r);
    this.recent.add(r);
    this.residentBytes += r.bytes;
    this.collected.register(a, r, r);
    return r;
  }

  private evict(r: Resident): void {
    if (!this.recent.delete(r)) return;
    const a = r.source.deref();
    if (a) this.resident.delete(a);
    this.collected.unregister(r);
    this.residentBytes -= r.bytes;
    this.heap.release(r.off, r.bytes);
  }
}

/** [x; w] as one array: the pair kernels read two vectors one row apart. */
function stack2(x: Float64Array, w: Float64Array): Float64Array {
  const xw = new Float64Array(x.length + w.length);
  xw.set(x);
  xw.set(w, x.length);
  return xw;
}

function load(): Simd | null {
  if (platform.env("GRADLAB_WASM") === "0" || wasmApi === undefined) return null;
  // built beside this module (dist/), or, when running from sources (tests), in dist/
  const binary = platform.simdBinary();
  if (binary === null || !wasmApi.validate(binary.bytes)) return null; // no build, or no SIMD support
  let memory: WasmMemory;
  try {
    memory = new wasmApi.Memory({ initial: 1, maximum: MAX_PAGES, shared: binary.shared });
  } catch {
    return null; // no shared memory (threads) support: the plain kernels
  }
  const module = new wasmApi.Module(binary.bytes);
  const instance = new wasmApi.Instance(module, { env: { memory } });
  const threads = binary.shared && platform.simdThreads && platform.env("GRADLAB_THREADS") !== "1";
  const pool = threads ? new Pool(module, memory) : null;
  return new Simd(instance.exports as unknown as Exports, memory, pool);
}

const loaded = load();
let mode: SimdMode = loaded ? "auto" : "off";
let threadMode: ThreadMode = loaded?.pool ? "auto" : "off";

/**
 * The SIMD kernels when they should run for an operation of `work` multiply-adds at least
 * `threshold` (the size below which the plain loop is as fast, measured), else null.
 * @example const fast = simdFor(m * n, MATVEC_THRESHOLD)?.matvec(a, x, m, n);
 */
export function simdFor(work: number, threshold: number): Simd | null {
  if (mode === "off") return null;
  return mode === "always" || work >= threshold ? loaded : null;
}

/**
 * Sets when the SIMD kernels run (tests compare both paths); returns the previous mode. "auto"
 * and "always" stay "off" when the module is unavailable.
 * @example const before = setSimdMode("off"); try { ... } finally { setSimdMode(before); }
 */
export function setSimdMode(next: SimdMode): SimdMode {
  const before = mode;
  mode = loaded ? next : "off";
  return before;
}

/**
 * Whether the WebAssembly SIMD kernels are loaded (false with GRADLAB_WASM=0, without SIMD
 * support, or before `npm run build`).
 * @example simdAvailable() // true after npm run build
 */
export function simdAvailable(): boolean {
  return loaded !== null;
}

/**
 * Sets when products are split over both cores (tests compare one thread with two); returns the
 * previous mode. Stays "off" with GRADLAB_THREADS=1 or without the SIMD kernels.
 * @example const before = setThreadMode("always"); try { ... } finally { setThreadMode(before); }
 */
export function setThreadMode(next: ThreadMode): ThreadMode {
  const before = threadMode;
  threadMode = loaded?.pool ? next : "off";
  return before;
}

/**
 * Whether the worker is ready, how many chunks of split products it has run and whether a product
 * was left open by a terminated main thread (tests check all three); null without a pool.
 * @example threadStats() // { ready: true, byWorker: 12, open: false }
 */
export function threadStats(): ThreadStats | null {
  return loaded?.pool?.stats() ?? null;
}
