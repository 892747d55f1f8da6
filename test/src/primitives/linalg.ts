/** @file Test data for the linear-algebra primitives: seeded SPD and well-conditioned matrices. */
import { Rng, Tensor } from "gradlab";

/** A random symmetric positive definite n x n matrix B B^T + n I. */
export function randomSpd(n: number, seed: number): Tensor {
  const B = new Rng(seed).randn([n, n]).data;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += B[i * n + k] * B[j * n + k];
      out[i * n + j] = s;
    }
  }
  return new Tensor(out, [n, n]);
}

/** A random symmetric direction (perturbations of SPD inputs must stay symmetric). */
export function randomSymmetric(n: number, seed: number): Tensor {
  const E = new Rng(seed).randn([n, n]).data;
  return new Tensor(
    E.map((_, k) => (E[k] + E[(k % n) * n + Math.floor(k / n)]) / 2),
    [n, n],
  );
}

/** A random well-conditioned (diagonally dominated) non-symmetric matrix. */
export function randomWellConditioned(n: number, seed: number): Tensor {
  const A = new Rng(seed).randn([n, n]).data;
  for (let i = 0; i < n; i++) A[i * n + i] += 2 * n;
  return new Tensor(A, [n, n]);
}

/** Row-major product of plain matrices, as an independent reference. */
export function matmulRef(a: Float64Array, b: Float64Array, n: number, m: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) for (let k = 0; k < m; k++) out[i * p + j] += a[i * m + k] * b[k * p + j];
  return out;
}
