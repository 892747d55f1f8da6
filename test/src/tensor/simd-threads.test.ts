/**
 * @file Products split over both cores (src/tensor/simd-threads.ts) against one thread and the
 * plain loops, on the same inputs: bit-identical to one thread at every size (odd sizes,
 * remainders of every unrolling, one row, empty, just below and above the threshold), the worker
 * taking part and a main thread terminated mid-product leaving the pool usable (a process that
 * used the worker exiting by itself: simd-threads-process.test.ts). Needs `npm run build`
 * (simd.wasm, simd-worker.js).
 */
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, test } from "vitest";
import { Rng, hvp, matmul, softplus, sum, tensor, valueAndGrad } from "gradlab";
import type { Tensor } from "gradlab";
import { normals } from "../../support/rng.js";
import { matmulKernel, matmulPairKernel } from "../../../src/tensor/matmul.js";
import {
  THREADS_PARTIALS_MIN,
  THREADS_MATMAT_MIN,
  THREADS_ROWS_MIN,
  setSimdMode,
  setThreadMode,
  simdAvailable,
  threadStats,
  type ThreadMode,
} from "../../../src/tensor/simd.js";

/** The plain loops sum in another order: they agree to a few ulps of the largest entry. */
const RTOL = 1e-13;
const ATOL = 1e-13;

const rng = new Rng(1313);
const rand = (shape: number[]): Tensor =>
  tensor(
    normals(
      rng,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
  );

/** The bits of every entry: equal bits, not merely equal numbers (-0 and NaN payloads count). */
const bits = (t: Tensor | Float64Array): bigint[] => {
  const d = t instanceof Float64Array ? t : t.toFloat64Array();
  return Array.from(new BigUint64Array(d.slice().buffer));
};

/** `f` with the SIMD kernels always on, products split as `threads` says. */
function withThreads<T>(threads: ThreadMode, f: () => T): T {
  const simd = setSimdMode("always");
  const before = setThreadMode(threads);
  try {
    return f();
  } finally {
    setThreadMode(before);
    setSimdMode(simd);
  }
}

/** `f` on the plain loops, on one SIMD thread and split over two. */
function threePaths<T>(f: () => T): [plain: T, one: T, two: T] {
  const simd = setSimdMode("off");
  try {
    return [f(), withThreads("off", f), withThreads("always", f)];
  } finally {
    setSimdMode(simd);
  }
}

/** Waits (bounded) until the worker is ready: it starts on the first split product. */
async function workerReady(): Promise<void> {
  withThreads("always", () => matmulKernel(rand([64, 8]), rand([8])));
  for (let i = 0; i < 500 && !threadStats()?.ready; i++) await new Promise((r) => setTimeout(r, 10));
  expect(threadStats()?.ready).toBe(true);
}

afterEach(() => {
  setSimdMode("auto");
  setThreadMode("auto");
});

const threads = simdAvailable() && threadStats() !== null;

describe.runIf(threads)("products on both cores", () => {
  // Rows around the 8-row (matvec) and 4-row (matvec2) unrollings and the 8-row chunk
  // boundaries; columns around the 2-lane pairs and the even column chunk boundaries.
  const ROWS = [1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 129];
  const COLS = [1, 2, 3, 8, 9, 31, 33, 130];

  test.each(ROWS)("matrix-vector products, %i rows: bit-identical to one thread, close to the plain loops", async (m) => {
    await workerReady();
    for (const n of COLS) {
      const a = rand([m, n]);
      const [x, w, v, u] = [rand([n]), rand([n]), rand([m]), rand([m])];
      const cases: [string, () => Tensor[]][] = [
        ["A x", () => [matmulKernel(a, x)]],
        ["vᵀ A", () => [matmulKernel(v, a)]],
        ["[A x, A w]", () => matmulPairKernel(a, x, w, "left") ?? [matmulKernel(a, x), matmulKernel(a, w)]],
        ["[vᵀ A, uᵀ A]", () => matmulPairKernel(a, v, u, "right") ?? [matmulKernel(v, a), matmulKernel(u, a)]],
      ];
      for (const [name, f] of cases) {
        const [plain, one, two] = threePaths(f);
        for (let k = 0; k < plain.length; k++) {
          expect(two[k].shape, `${name} ${m}x${n}`).toEqual(plain[k].shape);
          expect(bits(two[k]), `${name} ${m}x${n}`).toEqual(bits(one[k]));
          expect(two[k]).toBeAllclose(plain[k], { rtol: RTOL, atol: ATOL });
        }
      }
    }
  });

  test.each([1, 2, 3, 9, 17, 40])("matrix products, %i rows: bit-identical to one thread", (m) => {
    for (const [n, p] of [
      [1, 1],
      [3, 5],
      [9, 2],
      [17, 7],
      [33, 31],
    ]) {
      const a = rand([m, n]);
      const b = rand([n, p]);
      const [plain, one, two] = threePaths(() => matmulKernel(a, b));
      expect(bits(two)).toEqual(bits(one));
      expect(two).toBeAllclose(plain, { rtol: RTOL, atol: ATOL });
    }
  });

  test("empty operands and NaN behave as on one thread", () => {
    for (const [a, b] of [
      [rand([0, 3]), rand([3])],
      [rand([40, 0]), rand([0])],
      [rand([0]), rand([0, 40])],
      [rand([40, 0]), rand([0, 3])],
    ]) {
      const [plain, one, two] = threePaths(() => matmulKernel(a, b));
      expect(two.shape).toEqual(plain.shape);
      expect(bits(two)).toEqual(bits(one));
    }
    const a = rand([41, 9]).toFloat64Array();
    a[7] = Number.NaN;
    const x = rand([9]);
    const [, one, two] = threePaths(() => matmulKernel(tensor(a, [41, 9]), x));
    expect(bits(two)).toEqual(bits(one));
  });

  test("just below and above the thresholds, as the library chooses (auto), equal bits to one thread", async () => {
    await workerReady();
    const n = 1000;
    for (const min of [THREADS_ROWS_MIN, THREADS_PARTIALS_MIN]) {
      for (const m of [Math.floor(min / n) - 1, Math.ceil(min / n), Math.ceil(min / n) + 1]) {
        const a = rand([m, n]);
        const [x, v] = [rand([n]), rand([m])];
        const products = [
          () => matmulKernel(a, x),
          () => matmulKernel(v, a),
          () => matmulPairKernel(a, x, x, "left")![1],
          () => matmulPairKernel(a, v, v, "right")![0],
        ];
        for (const f of products) {
          const one = withThreads("off", f);
          setThreadMode("auto");
          expect(bits(f())).toEqual(bits(one));
        }
      }
    }
    const k = Math.ceil(Math.cbrt(THREADS_MATMAT_MIN));
    for (const m of [k - 1, k, k + 1]) {
      const [a, b] = [rand([m, k]), rand([k, k])];
      const one = withThreads("off", () => matmulKernel(a, b));
      setThreadMode("auto");
      expect(bits(matmulKernel(a, b))).toEqual(bits(one));
    }
  });

  test("the worker runs chunks of split products", async () => {
    await workerReady();
    const before = threadStats()!.byWorker;
    const a = rand([2000, 500]);
    const x = rand([500]);
    const one = withThreads("off", () => matmulKernel(a, x));
    // it claims a chunk whenever it wakes before the main thread has claimed them all
    for (let i = 0; i < 2000 && threadStats()!.byWorker === before; i++) {
      expect(bits(withThreads("always", () => matmulKernel(a, x)))).toEqual(bits(one));
      if (i % 20 === 19) await new Promise((r) => setTimeout(r, 1));
    }
    expect(threadStats()!.byWorker).toBeGreaterThan(before);
  });

  test("both threads in the 4x2 blocks of [A x, A w] at once: each its own scratch block", async () => {
    // regression: both instances once kept $dot4x2's result at bytes [0, 64) of the shared
    // memory, and a few rows of W3's A x came out wrong whenever the two threads overlapped
    await workerReady();
    const a = rand([1200, 600]);
    for (let k = 0; k < 30; k++) {
      const [x, w] = [rand([600]), rand([600])];
      const one = withThreads("off", () => matmulPairKernel(a, x, w, "left")!);
      const two = withThreads("always", () => matmulPairKernel(a, x, w, "left")!);
      expect(bits(two[0])).toEqual(bits(one[0]));
      expect(bits(two[1])).toEqual(bits(one[1]));
    }
  });

  test("W1 and W3 (value, gradient, HVP) are bit-identical on one and two threads", () => {
    const a = rand([403, 251]);
    const x = rand([251]);
    const v = rand([251]);
    const loss = (p: Tensor) => sum(softplus(matmul(a, p)));
    const run = () => {
      const [value, g] = valueAndGrad(loss)(x);
      return [value, g, hvp(loss, x, v)];
    };
    const [plain, one, two] = threePaths(run);
    for (let k = 0; k < 3; k++) {
      expect(bits(two[k])).toEqual(bits(one[k]));
      expect(two[k]).toBeAllclose(plain[k], { rtol: 1e-12, atol: 1e-12 });
    }
  });

  test("a main thread terminated mid-product (as the kernel interrupts a cell) leaves the pool usable", async () => {
    await workerReady();
    const a = rand([3000, 700]);
    const [x, v] = [rand([700]), rand([3000])];
    const ax = withThreads("off", () => matmulKernel(a, x));
    const va = withThreads("off", () => matmulKernel(v, a));
    const before = setThreadMode("always");
    try {
      let terminated = 0;
      let leftOpen = 0;
      for (let round = 0; round < 30; round++) {
        try {
          // vm's timeout terminates the JavaScript (and WebAssembly) of this thread, as
          // Runtime.terminateExecution does: wherever the product happens to be
          runInNewContext("for (;;) { mv(a, x); mv(v, a); }", { mv: matmulKernel, a, x, v }, { timeout: 1 + (round % 4) });
        } catch {
          terminated++;
        }
        if (threadStats()!.open) leftOpen++;
        expect(bits(matmulKernel(a, x))).toEqual(bits(ax));
        expect(bits(matmulKernel(v, a))).toEqual(bits(va));
      }
      expect(terminated).toBe(30);
      // most terminations land inside a split product (its chunks or the wait for the worker's)
      expect(leftOpen).toBeGreaterThan(0);
    } finally {
      setThreadMode(before);
    }
  });
});
