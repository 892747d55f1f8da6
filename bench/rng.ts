/** @file Seeded random data for the benchmarks: the same matrices and vectors in every run. */

/**
 * A seeded uniform generator (mulberry32) with a Box-Muller normal on top.
 *
 * @example
 * const rng = new Rng(42);
 * const x = rng.normal(1000); // Float64Array, identical in every run
 */
export class Rng {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1), 32 bits of entropy. */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** One standard normal sample (Box-Muller, the second sample kept for the next call). */
  gaussian(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = 1 - this.uniform(); // (0, 1]: log(u) is finite
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** `n` standard normal samples scaled by `scale`. */
  normal(n: number, scale = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = scale * this.gaussian();
    return out;
  }
}

/**
 * A well-conditioned symmetric positive definite n x n matrix, row-major: B Bᵀ / n + I.
 *
 * @example
 * const X = spd(new Rng(1), 300); // eigenvalues in about [1, 5]
 */
export function spd(rng: Rng, n: number): Float64Array {
  const b = rng.normal(n * n);
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
