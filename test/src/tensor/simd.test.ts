/**
 * @file The WebAssembly SIMD kernels (src/tensor/simd.ts) against the plain loops they replace,
 * on the same inputs: odd sizes and remainders of every unrolling, 1x1 and empty operands, a
 * matrix that is not positive definite, NaN, resident matrices reused, and the transforms that
 * run on them. Needs `npm run build` (simd.wasm); `npm test` builds first.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { Rng, hvp, jvp, logdet, matmul, softplus, sum, tensor, valueAndGrad } from "gradlab";
import type { Tensor } from "gradlab";
import { normals, spd } from "../../support/rng.js";
import { choleskyFactor, inverseKernel } from "../../../src/tensor/linalg.js";
import { matmulKernel } from "../../../src/tensor/matmul.js";
import { STREAM_MAX_COLUMNS } from "../../../src/tensor/simd-jobs.js";
import { setSimdMode, simdAvailable, type SimdMode } from "../../../src/tensor/simd.js";

/** Sums in another order: both paths agree to a few ulps of the largest entry. */
const RTOL = 1e-13;
const ATOL = 1e-13;

const rng = new Rng(13);
const rand = (shape: number[]): Tensor =>
  tensor(
    normals(
      rng,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
  );

/** Runs `f` with the SIMD kernels off and then always on; returns both results. */
function bothPaths<T>(f: () => T): [plain: T, fast: T] {
  const before = setSimdMode("off");
  try {
    const plain = f();
    setSimdMode("always");
    return [plain, f()];
  } finally {
    setSimdMode(before);
  }
}

/** SPD matrix data: B Bᵀ / n + I. */
const spdData = (n: number): Float64Array => spd(rng, n);

afterEach(() => {
  setSimdMode("auto");
});

describe("WebAssembly SIMD kernels", () => {
  test("are built and loaded (npm run build assembles src/tensor/simd.wat) unless GRADLAB_WASM=0", () => {
    expect(simdAvailable()).toBe(process.env.GRADLAB_WASM !== "0");
  });

  // Sizes around every unrolling: 8 rows (matvec), 8 entries (matvecStream), 4 rows (vecmat), 2 lanes, 4x2 blocks.
  const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33];

  test.each(SIZES)("matrix-vector products, %i rows, against the plain loops", (m) => {
    for (const n of [1, 2, 3, 4, 6, 8, 9, 13, 16, 31]) {
      const a = rand([m, n]);
      const x = rand([n]);
      const v = rand([m]);
      const [ax, axFast] = bothPaths(() => matmulKernel(a, x));
      expect(axFast.shape).toEqual([m]);
      expect(axFast).toBeAllclose(ax, { rtol: RTOL, atol: ATOL });
      const [va, vaFast] = bothPaths(() => matmulKernel(v, a));
      expect(vaFast.shape).toEqual([n]);
      expect(vaFast).toBeAllclose(va, { rtol: RTOL, atol: ATOL });
    }
  });

  test.each([1, 7, 8, 9, 17])("y = A x with rows of about STREAM_MAX_COLUMNS entries (either kernel, remainders of both), %i rows", (m) => {
    for (const n of [STREAM_MAX_COLUMNS - 1, STREAM_MAX_COLUMNS, STREAM_MAX_COLUMNS + 1, STREAM_MAX_COLUMNS + 3, STREAM_MAX_COLUMNS + 8]) {
      const a = rand([m, n]);
      const x = rand([n]);
      const [ax, axFast] = bothPaths(() => matmulKernel(a, x));
      expect(axFast).toBeAllclose(ax, { rtol: RTOL, atol: ATOL });
    }
  });

  test.each(SIZES)("forward mode's paired products [A x, A xDot] and [v A, vDot A], %i rows", (m) => {
    for (const n of [1, 2, 3, 8, 9, 31]) {
      const a = rand([m, n]);
      const [x, xDot, v, vDot] = [rand([n]), rand([n]), rand([m]), rand([m])];
      const [left, leftFast] = bothPaths(() => jvp((p: Tensor) => matmul(a, p), [x], [xDot]));
      const [right, rightFast] = bothPaths(() => jvp((p: Tensor) => matmul(p, a), [v], [vDot]));
      for (const [plain, fast] of [
        [left, leftFast],
        [right, rightFast],
      ]) {
        expect(fast[0].shape).toEqual(plain[0].shape);
        expect(fast[0]).toBeAllclose(plain[0], { rtol: RTOL, atol: ATOL });
        expect(fast[1]).toBeAllclose(plain[1], { rtol: RTOL, atol: ATOL });
      }
    }
  });

  test.each(SIZES)("matrix products, %i rows, against the plain loops", (m) => {
    for (const [n, p] of [
      [1, 1],
      [3, 5],
      [4, 4],
      [9, 2],
      [17, 7],
    ]) {
      const a = rand([m, n]);
      const b = rand([n, p]);
      const [c, cFast] = bothPaths(() => matmulKernel(a, b));
      expect(cFast.shape).toEqual([m, p]);
      expect(cFast).toBeAllclose(c, { rtol: RTOL, atol: ATOL });
    }
  });

  test("empty operands give empty or zero results on both paths", () => {
    for (const [a, b] of [
      [rand([0, 3]), rand([3])],
      [rand([3, 0]), rand([0])],
      [rand([0]), rand([0, 4])],
      [rand([2, 0]), rand([0, 3])],
    ]) {
      const [plain, fast] = bothPaths(() => matmulKernel(a, b));
      expect(fast.shape).toEqual(plain.shape);
      expect(fast.toFloat64Array()).toEqual(plain.toFloat64Array());
    }
  });

  test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 31, 40])(
    "Cholesky and inverse of %ix%i SPD, against the plain loops",
    (n) => {
      const x = spdData(n);
      const [l, lFast] = bothPaths(() => choleskyFactor(x.slice(), n));
      expect(lFast).toBeAllclose(l!, { rtol: RTOL, atol: ATOL });
      // inverse from the cached factor: each path factors its own copy first
      const [inv, invFast] = bothPaths(() => {
        const c = x.slice();
        choleskyFactor(c, n);
        return inverseKernel(c, n);
      });
      expect(invFast).toBeAllclose(inv, { rtol: 1e-12, atol: 1e-12 });
      // X X^{-1} = I
      const prod = matmulKernel(tensor(x, [n, n]), tensor(invFast, [n, n])).toFloat64Array();
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(prod[i * n + j] - (i === j ? 1 : 0))).toBeLessThan(1e-12);
    },
  );

  test("a matrix that is not positive definite is rejected, at any pivot, on both paths", () => {
    for (const n of [2, 5, 9]) {
      for (const bad of [0, n - 1]) {
        const x = spdData(n);
        x[bad * n + bad] = -1;
        const [plain, fast] = bothPaths(() => choleskyFactor(x.slice(), n));
        expect([plain, fast]).toEqual([null, null]);
      }
    }
  });

  test("NaN propagates through products and factors", () => {
    const a = rand([9, 5]).toFloat64Array();
    a[7] = Number.NaN;
    const [ax, axFast] = bothPaths(() => matmulKernel(tensor(a, [9, 5]), rand([5])).toFloat64Array());
    expect(Array.from(axFast, Number.isNaN)).toEqual(Array.from(ax, Number.isNaN));
    const x = spdData(6);
    x[3 * 6 + 2] = x[2 * 6 + 3] = Number.NaN;
    const [l, lFast] = bothPaths(() => choleskyFactor(x.slice(), 6));
    expect(Array.from(lFast!, Number.isNaN)).toEqual(Array.from(l!, Number.isNaN));
  });

  test("a matrix used again (resident in WebAssembly memory) gives the same products", () => {
    const a = rand([300, 257]);
    const x = rand([257]);
    const r = rand([300]);
    setSimdMode("always");
    const first = matmulKernel(a, x).toFloat64Array();
    for (let k = 0; k < 3; k++) {
      expect(matmulKernel(a, x).toFloat64Array()).toEqual(first);
      expect(matmulKernel(r, a)).toBeAllclose(bothPaths(() => matmulKernel(r, a))[0], { rtol: RTOL, atol: ATOL });
    }
    // other resident matrices in between (each used twice): memory growth keeps results right
    for (let k = 0; k < 20; k++) {
      const b = rand([256, 130]);
      matmulKernel(b, rand([130]));
      matmulKernel(b, rand([130]));
    }
    expect(matmulKernel(a, x).toFloat64Array()).toEqual(first);
  });

  test("W1-W3 shaped transforms agree on both paths (value, gradient, HVP, logdet gradient)", () => {
    const a = rand([67, 45]);
    const x = rand([45]);
    const v = rand([45]);
    const loss = (p: Tensor) => sum(softplus(matmul(a, p)));
    const [[value, g], [valueFast, gFast]] = bothPaths(() => valueAndGrad(loss)(x));
    expect(valueFast).toBeAllclose(value, { rtol: RTOL, atol: ATOL });
    expect(gFast).toBeAllclose(g, { rtol: RTOL, atol: ATOL });
    const [h, hFast] = bothPaths(() => hvp(loss, x, v));
    expect(hFast).toBeAllclose(h, { rtol: RTOL, atol: ATOL });
    const s = spdData(21);
    const [[ld, ldBar], [ldFast, ldBarFast]] = bothPaths(() => valueAndGrad((p: Tensor) => logdet(p))(tensor(s, [21, 21])));
    expect(ldFast).toBeAllclose(ld, { rtol: RTOL, atol: ATOL });
    expect(ldBarFast).toBeAllclose(ldBar, { rtol: 1e-12, atol: 1e-12 });
  });

  test("GRADLAB_WASM=0 selects the plain loops", async () => {
    vi.resetModules();
    vi.stubEnv("GRADLAB_WASM", "0");
    try {
      const fresh = (await import("../../../src/tensor/simd.js")) as { simdAvailable(): boolean; setSimdMode(m: SimdMode): SimdMode };
      expect(fresh.simdAvailable()).toBe(false);
      fresh.setSimdMode("always");
      expect(fresh.setSimdMode("auto")).toBe("off");
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
