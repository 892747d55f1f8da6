/** @file Result checks run before timing: a benchmark of a wrong answer is worthless. */

/**
 * Relative error in the max norm, ‖got - want‖∞ / max(‖want‖∞, tiny).
 *
 * @example
 * relErr([1, 2.000001], [1, 2]); // 5e-7
 */
export function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) throw new Error(`relErr: expected ${want.length} numbers, got ${got.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return diff / Math.max(scale, Number.MIN_VALUE);
}

/**
 * Throws unless `got` matches `want` to relative tolerance `tol` (max norm); returns the error.
 *
 * @example
 * agree("W1 gradient", g, gHand, 1e-10);
 */
export function agree(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number): number {
  const e = relErr(got, want);
  if (!(e <= tol)) throw new Error(`${what}: result differs from the baseline, relative error ${e.toExponential(2)} > ${tol}`);
  return e;
}
