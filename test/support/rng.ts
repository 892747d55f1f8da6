/**
 * @file Seeded test and benchmark data from gradlab's own generator (`Rng` of src/random.ts, mulberry32 +
 * Box-Muller): the same matrices and vectors in every run.
 */
import type { Rng } from "../../src/index.js";

/**
 * `n` standard normal samples scaled by `scale`, drawn from `rng`.
 *
 * @example
 * const x = normals(new Rng(42), 1000); // Float64Array, identical in every run
 */
export function normals(rng: Rng, n: number, scale = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
  return out;
}

/**
 * A well-conditioned symmetric positive definite n x n matrix, row-major: B Bᵀ / n + I.
 *
 * @example
 * const X = spd(new Rng(1), 300); // eigenvalues in about [1, 5]
 */
export function spd(rng: Rng, n: number): Float64Array {
  const b = normals(rng, n * n);
  const x = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      s /= n;
      if (i === j) s += 1;
      x[i * n + j] = s;
      x[j * n + i] = s;
    }
  }
  return x;
}
