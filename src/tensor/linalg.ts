/**
 * @file Dense linear-algebra kernels on row-major Float64Arrays: Cholesky (with a factor cache
 * keyed by storage), inverse from a Cholesky factor, LU with partial pivoting, solve, det.
 * Cholesky and the inverse from it switch to their WebAssembly SIMD versions (simd.ts) above a size.
 */
import { simdFor } from "./simd.js";
import { isShared } from "./tensor.js";
import { GradlabError } from "./errors.js";

/**
 * n³ from which the SIMD Cholesky and inverse beat the plain loops: their crossover per call
 * (timed with `setSimdMode("off")` against `"always"`), at n = 16. The figures are in
 * docs/performance.md.
 */
const CHOLESKY_SIMD_MIN = 4096;

/** A Cholesky factor with the question it answers. */
interface Factor {
  /** L with L Lᵀ = the lower triangle of the matrix mirrored. */
  readonly l: Float64Array;
  /** Whether the matrix is symmetric (only then is L Lᵀ the matrix itself): asked when first needed. */
  symmetric?: boolean;
}

/**
 * Cholesky factors by the storage they were computed from, so that a factor computed by
 * `logdet`/`cholesky` is reused by a later `inv` or `solve` of the same matrix (the gradient of
 * logdet is X^{-1}: one factorisation, not two). An entry answers only the question it was
 * filled for: only storage that no user code holds is remembered, and an entry whose storage
 * user code has been handed since (`Tensor.data`, see {@link isShared}) is dropped unused, so
 * the entries are still those that were factored; and `inv`/`solve` use it only for a symmetric
 * matrix (`cholesky` reads the lower triangle alone, as torch does).
 */
const choleskyCache = new WeakMap<Float64Array, Factor>();

/** The cached factor of A while A's storage is still the library's alone. */
function cachedFactor(A: Float64Array): Factor | undefined {
  const f = choleskyCache.get(A);
  if (f !== undefined && isShared(A)) {
    choleskyCache.delete(A);
    return undefined;
  }
  return f;
}

/** Whether A (n x n) equals its transpose exactly (in 32 x 32 blocks: both reads stay in cache). */
function isSymmetric(A: Float64Array, n: number): boolean {
  const B = 32;
  for (let bi = 0; bi < n; bi += B) {
    for (let bj = 0; bj <= bi; bj += B) {
      const iEnd = Math.min(bi + B, n);
      for (let i = bi; i < iEnd; i++) {
        const jEnd = Math.min(bj + B, i);
        for (let j = bj; j < jEnd; j++) if (A[i * n + j] !== A[j * n + i]) return false;
      }
    }
  }
  return true;
}

function remember(A: Float64Array, l: Float64Array, symmetric: boolean | undefined): Float64Array {
  if (!isShared(A)) choleskyCache.set(A, symmetric === undefined ? { l } : { l, symmetric });
  return l;
}

/** Dot product of a[ia .. ia+len) and b[ib .. ib+len), four accumulators. */
function dotRange(a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ia + k] * b[ib + k];
    s1 += a[ia + k + 1] * b[ib + k + 1];
    s2 += a[ia + k + 2] * b[ib + k + 2];
    s3 += a[ia + k + 3] * b[ib + k + 3];
  }
  for (; k < len; k++) s0 += a[ia + k] * b[ib + k];
  return s0 + s1 + s2 + s3;
}

/**
 * Lower-triangular L with L L^T = A (reads A's lower triangle), or `null` when a pivot is
 * not positive (NaN entries propagate as NaN instead). Cached per storage (see `choleskyCache`);
 * a caller that has compared A with its transpose passes `symmetric`, so `inv` need not again.
 * @example choleskyFactor(new Float64Array([4, 2, 2, 3]), 2) // Float64Array [2, 0, 1, 1.414...]
 */
export function choleskyFactor(A: Float64Array, n: number, symmetric?: boolean): Float64Array | null {
  const hit = cachedFactor(A);
  if (hit) return hit.l;
  const fast = simdFor(n * n * n, CHOLESKY_SIMD_MIN)?.cholesky(A, n);
  if (fast !== undefined) return fast === null ? null : remember(A, fast, symmetric);
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const s = A[ri + j] - dotRange(L, ri, L, rj, j);
      if (i === j) {
        if (s <= 0) return null;
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / L[rj + j];
      }
    }
  }
  return remember(A, L, symmetric);
}

/**
 * The cached Cholesky factor of A when it factors A itself (A symmetric and unchanged).
 * @example symmetricFactor(x._data, n) // Float64Array | undefined
 */
function symmetricFactor(A: Float64Array, n: number): Float64Array | undefined {
  const f = cachedFactor(A);
  if (f === undefined) return undefined;
  f.symmetric ??= isSymmetric(A, n);
  return f.symmetric ? f.l : undefined;
}

/**
 * A^{-1} = L^{-T} L^{-1} from the Cholesky factor L. Both steps are written as dot products of
 * contiguous rows (no strided access, no stores in the inner loop).
 * @example choleskyInverse(L, n)
 */
function choleskyInverse(L: Float64Array, n: number): Float64Array {
  // U = L^{-T} (upper triangular), built row by row: row j of U is column j of L^{-1}, and
  // U[j][i] = -(sum_{k=j}^{i-1} L[i][k] U[j][k]) / L[i][i], U[j][j] = 1 / L[j][j].
  const U = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    U[rj + j] = 1 / L[rj + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      U[rj + i] = -dotRange(L, ri + j, U, rj + j, i - j) / L[ri + i];
    }
  }
  // A^{-1} = U U^T: X[a][b] = sum_{k >= a} U[a][k] U[b][k] for b <= a, then mirrored.
  const X = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    const ra = a * n;
    for (let b = 0; b <= a; b++) {
      const v = dotRange(U, ra + a, U, b * n + a, n - a);
      X[ra + b] = v;
      X[b * n + a] = v;
    }
  }
  return X;
}

/** An LU factorisation P A = L U stored in one array (unit-diagonal L below, U on and above). */
interface LU {
  readonly lu: Float64Array;
  readonly piv: Int32Array;
  /** +1 or -1: the permutation's sign. */
  readonly sign: number;
  readonly n: number;
  /** The first column (0-based) with no nonzero pivot, or -1: A is singular exactly when >= 0. */
  readonly zeroPivot: number;
}

/**
 * LU with partial pivoting. A column with no nonzero pivot (A singular) is recorded in
 * `zeroPivot` and skipped, so U keeps an exact zero on its diagonal (det A = 0).
 * @example luFactor(new Float64Array([0, 1, 1, 0]), 2).sign // -1
 */
function luFactor(A: Float64Array, n: number): LU {
  const lu = A.slice();
  const piv = new Int32Array(n);
  let sign = 1;
  let zeroPivot = -1;
  for (let i = 0; i < n; i++) piv[i] = i;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
      }
      const t = piv[k];
      piv[k] = piv[p];
      piv[p] = t;
      sign = -sign;
    }
    const d = lu[k * n + k];
    if (d === 0) {
      // The column is zero from the diagonal down: nothing to eliminate.
      if (zeroPivot < 0) zeroPivot = k;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= d);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { lu, piv, sign, n, zeroPivot };
}

/**
 * The LU factors of A, or a clear error naming `op` when A is singular (as numpy and torch do,
 * rather than returning inf/NaN).
 * @example nonsingularLU("inv", new Float64Array([1, 2, 2, 4]), 2) // throws "inv: the matrix is singular ..."
 */
function nonsingularLU(op: "inv" | "solve", A: Float64Array, n: number): LU {
  const f = luFactor(A, n);
  if (f.zeroPivot >= 0) {
    const what = op === "inv" ? "it has no inverse" : "A x = b has no unique solution";
    throw new GradlabError(
      `${op}: the ${n}x${n} matrix is singular (no nonzero pivot in column ${f.zeroPivot + 1} after partial pivoting), so ${what}; ` +
        "check for linearly dependent rows or columns, or regularise it (A + lambda I)",
    );
  }
  return f;
}

/**
 * Solves A X = B for B [n, m] row-major (m = 1 for a vector) from A's LU factors.
 * @example luSolve(luFactor(A, n), b, 1)
 */
function luSolve({ lu, piv, n }: LU, B: Float64Array, m: number): Float64Array {
  const X = new Float64Array(n * m);
  for (let i = 0; i < n; i++) X.set(B.subarray(piv[i] * m, piv[i] * m + m), i * m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const f = lu[i * n + k];
      if (f === 0) continue;
      for (let j = 0; j < m; j++) X[i * m + j] -= f * X[k * m + j];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const f = lu[i * n + k];
      if (f === 0) continue;
      for (let j = 0; j < m; j++) X[i * m + j] -= f * X[k * m + j];
    }
    const d = lu[i * n + i];
    for (let j = 0; j < m; j++) X[i * m + j] /= d;
  }
  return X;
}

/**
 * Solves A X = B with the cached Cholesky factor when A is a symmetric matrix that has one, else by LU.
 * @example solveKernel(A, b, n, 1)
 */
export function solveKernel(A: Float64Array, B: Float64Array, n: number, m: number): Float64Array {
  const L = symmetricFactor(A, n);
  if (!L) return luSolve(nonsingularLU("solve", A, n), B, m);
  // L y = B, then L^T x = y.
  const X = B.slice();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const f = L[i * n + k];
      for (let j = 0; j < m; j++) X[i * m + j] -= f * X[k * m + j];
    }
    for (let j = 0; j < m; j++) X[i * m + j] /= L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const f = L[k * n + i];
      for (let j = 0; j < m; j++) X[i * m + j] -= f * X[k * m + j];
    }
    for (let j = 0; j < m; j++) X[i * m + j] /= L[i * n + i];
  }
  return X;
}

/**
 * A^{-1}: from the cached Cholesky factor when A is a known SPD matrix, else by LU.
 * @example inverseKernel(A, n)
 */
export function inverseKernel(A: Float64Array, n: number): Float64Array {
  const L = symmetricFactor(A, n);
  if (L) return simdFor(n * n * n, CHOLESKY_SIMD_MIN)?.choleskyInverse(L, n) ?? choleskyInverse(L, n);
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return luSolve(nonsingularLU("inv", A, n), I, n);
}

/**
 * det A by LU (product of pivots times the permutation sign).
 * @example detKernel(new Float64Array([1, 2, 3, 4]), 2) // -2
 */
export function detKernel(A: Float64Array, n: number): number {
  const { lu, sign } = luFactor(A, n);
  let d = sign;
  for (let i = 0; i < n; i++) d *= lu[i * n + i];
  return d;
}
