/** @file Entry-by-entry comparison of numbers with absolute and relative errors (pure). */

/**
 * Absolute tolerance of autodiff vs finite differences, on top of the estimate's own error bound
 * (which gradcheck adds per entry): room for autodiff's rounding in entries that cancel.
 *
 * @example
 * isClose(autodiff, fd, FD_ATOL + fdErr, FD_RTOL);
 */
export const FD_ATOL = 1e-6;
/**
 * Relative tolerance of autodiff vs finite differences, on top of the estimate's error bound.
 *
 * @example
 * isClose(autodiff, fd, FD_ATOL + fdErr, FD_RTOL);
 */
export const FD_RTOL = 1e-5;
/**
 * Asymmetry a symmetric matrix may have, as a fraction of its largest entry (what `logdet`
 * accepts as symmetric).
 *
 * @example
 * isSymmetric(data, n); // |X[i, j] - X[j, i]| <= SYMMETRY_RTOL max |X| for all i, j
 */
export const SYMMETRY_RTOL = 1e-8;
/**
 * Absolute tolerance of a user's formula vs autodiff: both are exact up to rounding.
 *
 * @example
 * isClose(formula, autodiff, FORMULA_ATOL, FORMULA_RTOL);
 */
export const FORMULA_ATOL = 1e-8;
/**
 * Relative tolerance of a user's formula vs autodiff.
 *
 * @example
 * isClose(formula, autodiff, FORMULA_ATOL, FORMULA_RTOL);
 */
export const FORMULA_RTOL = 1e-6;

/**
 * |a - b| and |a - b| / max(|a|, |b|) (0 when both are 0); NaN when either is NaN.
 *
 * @example
 * errors(1, 1.001); // { abs: 0.001, rel: 0.000999... }
 */
export function errors(a: number, b: number): { abs: number; rel: number } {
  const abs = Math.abs(a - b);
  if (a === b) return { abs: 0, rel: 0 };
  return { abs, rel: abs / Math.max(Math.abs(a), Math.abs(b)) };
}

/**
 * numpy.isclose: |got - want| <= atol + rtol |want|; NaN never matches (infinities only themselves).
 *
 * @example
 * isClose(1 + 1e-9, 1, 1e-8, 0); // true
 */
export function isClose(got: number, want: number, atol: number, rtol: number): boolean {
  if (got === want) return true;
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

/**
 * The multi-index of flat entry `k` in a row-major shape, as text: `[1, 0]` (`[]` for scalars).
 *
 * @example
 * entryName(3, [2, 2]); // "[1, 1]"
 */
export function entryName(k: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let a = shape.length - 1; a >= 0; a--) {
    idx.unshift(k % shape[a]);
    k = Math.floor(k / shape[a]);
  }
  return `[${idx.join(", ")}]`;
}

/**
 * Whether the row-major n x n matrix `a` is symmetric: |a[i, j] - a[j, i]| <= SYMMETRY_RTOL max |a|
 * for all i, j, and no entry is NaN.
 *
 * @example
 * isSymmetric(Float64Array.of(2, 1, 1, 3), 2); // true
 */
export function isSymmetric(a: Float64Array, n: number): boolean {
  let scale = 0;
  for (const v of a) {
    if (Number.isNaN(v)) return false;
    scale = Math.max(scale, Math.abs(v));
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (!(Math.abs(a[i * n + j] - a[j * n + i]) <= SYMMETRY_RTOL * scale)) return false;
    }
  }
  return true;
}
