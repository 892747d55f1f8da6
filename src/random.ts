/**
 * @file A small seeded random generator (mulberry32 + Box-Muller) so tests, notebooks and
 * benchmarks get the same data on every run.
 */
import { checkShape, sizeOf } from "./tensor/shape.js";
import { Tensor, wrap } from "./tensor/tensor.js";
import { GradlabError } from "./tensor/errors.js";

/** Options of `randn` / `rand`: a seed makes the call reproducible on its own. */
export interface RandomOptions {
  /** An integer from 0 to 2 ** 32 - 1 (the generator's state is 32 bits). */
  seed?: number;
}

/** The largest seed: the state is one 32-bit word, so every seed in 0..MAX_SEED is its own stream. */
const MAX_SEED = 2 ** 32 - 1;

/**
 * `seed` if it is an integer from 0 to 2^32 - 1, else an error naming `op`: the state holds 32
 * bits, so a fraction, a negative seed or a larger one would silently repeat another seed's
 * numbers (-1 those of 2^32 - 1, 0.5 those of 0).
 */
function checkSeed(op: string, seed: unknown): number {
  if (typeof seed === "number" && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED) return seed;
  const got =
    typeof seed === "number" ? String(seed) : typeof seed === "string" ? `"${seed}" (a string)` : `${String(seed)} (${typeof seed})`;
  throw new GradlabError(`${op}: expected the seed to be an integer from 0 to 2 ** 32 - 1 (${MAX_SEED}), got ${got}`);
}

/**
 * A seeded stream of pseudo-random numbers.
 * @example
 * const rng = new Rng(42);
 * rng.randn([2, 2]).shape; // [2, 2]
 */
export class Rng {
  private state: number;
  private spare: number | null = null;

  /** @param seed an integer from 0 to 2 ** 32 - 1 (default 0). */
  constructor(seed = 0) {
    this.state = checkSeed("Rng", seed);
  }

  /** Uniform in [0, 1). @example new Rng(1).uniform() */
  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller, one spare kept). @example new Rng(1).normal() */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Standard normal entries. @example new Rng(0).randn([3]).size // 3 */
  randn(shape: readonly number[]): Tensor {
    const s = checkShape("randn", shape);
    const out = new Float64Array(sizeOf(s));
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return wrap(out, s);
  }

  /** Uniform entries in [low, high). @example new Rng(0).rand([2], -1, 1) */
  rand(shape: readonly number[], low = 0, high = 1): Tensor {
    const s = checkShape("rand", shape);
    const out = new Float64Array(sizeOf(s));
    for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * this.uniform();
    return wrap(out, s);
  }
}

/** The stream used when no seed is given (seeded, so a fresh process is reproducible too). */
const shared = new Rng(0);

/**
 * Standard normal tensor; `{ seed }` makes it reproducible independently of other calls.
 * @example randn([2, 3], { seed: 1 }).shape // [2, 3]
 */
export function randn(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  return (opts.seed === undefined ? shared : new Rng(checkSeed("randn", opts.seed))).randn(shape);
}

/**
 * Uniform [0, 1) tensor (or [low, high)); `{ seed }` makes it reproducible.
 * @example rand([4], { seed: 7 }).shape // [4]
 */
export function rand(shape: readonly number[], opts: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  return (opts.seed === undefined ? shared : new Rng(checkSeed("rand", opts.seed))).rand(shape, opts.low ?? 0, opts.high ?? 1);
}
