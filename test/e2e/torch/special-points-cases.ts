/** @file The special-point cases the torch suite checks (special-points.test.ts): points, the functions, and where gradlab deliberately differs. */
import {
  abs,
  add,
  broadcastTo,
  cholesky,
  cos,
  det,
  diag,
  div,
  dot,
  exp,
  expm1,
  index,
  inv,
  log,
  log1p,
  logdet,
  matmul,
  max,
  maximum,
  mean,
  minimum,
  mul,
  neg,
  norm,
  outer,
  pow,
  relu,
  reshape,
  sigmoid,
  sign,
  sin,
  softplus,
  solve,
  sqrt,
  square,
  stack,
  sub,
  sum,
  tanh,
  tensor,
  trace,
  transpose,
} from "gradlab";
import type { Tensor } from "gradlab";

/** Both libraries evaluate the same formulas at these points; only rounding may differ. */
export const RTOL = 1e-12;
export const ATOL = 1e-15;

export type Fn = (...xs: Tensor[]) => Tensor;
/** A number JSON can carry: finite, or "NaN" / "Infinity" / "-Infinity" / "-0". */
export type Wire = number | string;
export interface Json {
  data: Wire[];
  shape: number[];
}
export type Kind = "elementwise" | "taylor" | "scalar";

/**
 * A deliberate difference from torch: on the entries `where` selects, quantity `quantity` is
 * `gradlab` in gradlab and `torch` in torch (NaN compares equal to NaN).
 */
export interface Difference {
  quantity: string;
  /** For an elementwise case: the inputs at the entry; for a scalar case: the flat position. */
  where: (p: number[], position: number) => boolean;
  /** gradlab's answer there, or the rule giving it from the same arguments as `where`. */
  gradlab: number | ((p: number[], position: number) => number);
  /** torch's answer there, likewise. */
  torch: number | ((p: number[], position: number) => number);
  /** Why gradlab's answer is the one it gives (also stated in docs/special-points.md). */
  why: string;
}

export interface Case {
  id: string;
  fn: string;
  kind: Kind;
  inputs: Json[];
  argnums: number[];
  /** Taylor cases: the highest derivative. */
  order?: number;
  /** An error in both libraries (true), or in gradlab only, torch returning `torch` instead. */
  error?: true | { torch: number; why: string };
  /** Absolute tolerance, where the exact answer is 0 and both libraries round to about 1e-15. */
  atol?: number;
  differs?: Difference[];
}

export interface TorchResult {
  error?: string;
  value?: Json;
  grads?: Json[];
  second?: Json[][];
  hessian?: Json[][] | { error: string };
  derivatives?: Json[];
}

/** The gradlab functions, one for one with FUNCTIONS in special_points_ref.py. */
export const SPECIAL: Record<string, Fn> = {
  neg: (x) => neg(x),
  exp: (x) => exp(x),
  log: (x) => log(x),
  log1p: (x) => log1p(x),
  expm1: (x) => expm1(x),
  sin: (x) => sin(x),
  cos: (x) => cos(x),
  tanh: (x) => tanh(x),
  sigmoid: (x) => sigmoid(x),
  softplus: (x) => softplus(x),
  sqrt: (x) => sqrt(x),
  abs: (x) => abs(x),
  sign: (x) => sign(x),
  relu: (x) => relu(x),
  square: (x) => square(x),
  pow0: (x) => pow(x, 0),
  pow1: (x) => pow(x, 1),
  pow2: (x) => pow(x, 2),
  pow3: (x) => pow(x, 3),
  pow4: (x) => pow(x, 4),
  powHalf: (x) => pow(x, 0.5),
  "pow1.5": (x) => pow(x, 1.5),
  powMinus1: (x) => pow(x, -1),
  powMinus2: (x) => pow(x, -2),
  powMinusHalf: (x) => pow(x, -0.5),
  expBase2: (y) => pow(2, y),
  expBase0: (y) => pow(0, y),
  add: (x, y) => add(x, y),
  sub: (x, y) => sub(x, y),
  mul: (x, y) => mul(x, y),
  div: (x, y) => div(x, y),
  pow: (x, y) => pow(x, y),
  maximum: (x, y) => maximum(x, y),
  minimum: (x, y) => minimum(x, y),
  sum: (x) => sum(x),
  mean: (x) => mean(x),
  max: (x) => max(x),
  maxRows: (x) => sum(max(x, 1)),
  norm: (x) => norm(x),
  dot: (a, b) => dot(a, b),
  matmul: (a, b) => sum(matmul(a, b)),
  transpose: (x, w) => sum(mul(transpose(x), w)),
  reshape: (x, w) => sum(mul(reshape(x, [4]), w)),
  broadcast: (x, w) => sum(mul(broadcastTo(x, [3, 2]), w)),
  diagonal: (x, w) => sum(mul(diag(x), w)),
  diagMatrix: (x, w) => sum(mul(diag(x), w)),
  stackRows: (x, w) => sum(mul(stack([index(x, 1), index(x, 0)]), w)),
  trace: (x) => trace(x),
  outer: (a, b) => sum(outer(a, b)),
  det: (x) => det(x),
  logdet: (x) => logdet(x),
  inv: (x) => sum(inv(x)),
  solve: (a, b) => sum(solve(a, b)),
  cholesky: (x) => sum(cholesky(x)),
};

export const encode = (v: number): Wire =>
  Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : Object.is(v, -0) ? "-0" : v;
export const decode = (v: Wire): number => (typeof v === "string" ? Number(v) : v);
export const json = (data: number[], shape: number[] = [data.length]): Json => ({ data: data.map(encode), shape });
export const toTensor = (j: Json): Tensor => tensor(Float64Array.from(j.data, decode), j.shape);
export const numbers = (j: Json): number[] => j.data.map(decode);
/** A number as a label shows it (-0 kept). */
export const show = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));

/** Zeros of both signs, ±1 and other finite points, ±Infinity and NaN. */
export const POINTS = [0, -0, 1, -1, 0.5, -2, 3, Infinity, -Infinity, NaN];
/** Every pair (x, y) of `values`: x runs slowly, y fast; ties on the diagonal. */
export function grid(values: number[]): [Json, Json] {
  return [json(values.flatMap((x) => values.map(() => x))), json(values.flatMap(() => values))];
}
export const PAIRS = grid([0, -0, 1, -2, 0.5, Infinity, -Infinity, NaN]);
export const POW_PAIRS = grid([0, -0, 1, -1, 2, -2, 0.5, 3, Infinity, -Infinity, NaN]);

export const isNaN = Number.isNaN;
export const always = () => true;

/** NaN in, NaN out: gradlab's selections (relu, maximum, minimum) have derivative NaN at a NaN. */
export const NAN_SELECTION =
  "at a NaN input gradlab's derivative is NaN; torch's comparison masks read NaN as 'neither greater nor equal' and pass the whole derivative";
/** sign(NaN): NaN in gradlab (as numpy and JAX), 0 in torch. */
export const SIGN_OF_NAN = "gradlab's sign(NaN) is NaN (as numpy's and JAX's), torch's is 0; |x|' = sign(x) follows";
/** torch's x^±0.5. */
export const TORCH_SQRT =
  "torch evaluates x^0.5 and x^-0.5 (also inside the derivatives of x^1.5) as sqrt(x) and rsqrt(x): -0 and -∞ at x = -0, NaN at x = -∞, where C's pow, numpy and gradlab give +0, +∞ and +∞, 0";
/** det [[a, b], [c, d]] = ad - bc: ∂²/∂a∂d = 1, ∂²/∂b∂c = -1, all else 0, at every matrix. */
export const DET2_HESSIAN = [0, 0, 0, 1, 0, 0, -1, 0, 0, -1, 0, 0, 1, 0, 0, 0];
export const DET_HESSIAN =
  "the Hessian of det is the matrix of signed second-order minors, and gradlab's is exact at any matrix; torch's second derivative is NaN at matrices of rank n - 2 or less";
export const DET_COFACTORS =
  "det is linear in each entry, its gradient the cofactors: gradlab takes them as minors of the other entries (exact; ±∞ and NaN stay in their own minors), torch's formula spreads the NaN of ∞ · 0";
export const MATRIX_INFINITY =
  "an infinite matrix entry meets 0 in the factor's rules as 0 · ∞ = NaN; gradlab does not special-case infinite matrix entries, torch's formula gives numbers for some";
/** Where torch's where(...) masks are differentiated through their untaken branch. */
export const POW_ZERO_EXPONENT =
  "x^0 = 1 for every x, so every x-derivative of it is 0; torch's rule where(y == 0, 0, y x^(y-1)) for a tensor exponent differentiates the untaken branch, 0 · ∞ = NaN (with a number exponent torch gives 0 too)";
export const POW_ZERO_BASE =
  "0^y = 0 for every y > 0, so every y-derivative of it is 0 (at y = 0 gradlab takes 0, as torch does for the first); torch's where(x == 0 & y >= 0, 0, ln(x) x^y) differentiates the untaken branch, -∞ · 0 = NaN";

export const unary = (fn: string, differs?: Difference[]): Case => ({
  id: fn,
  fn,
  kind: "elementwise",
  inputs: [json(POINTS)],
  argnums: [0],
  differs,
});
export const binary = (fn: string, pairs: [Json, Json], differs?: Difference[]): Case => ({
  id: fn,
  fn,
  kind: "elementwise",
  inputs: pairs,
  argnums: [0, 1],
  differs,
});
export const taylor = (fn: string, points: number[], order: number): Case => ({
  id: `${fn} Taylor`,
  fn,
  kind: "taylor",
  inputs: [json(points)],
  argnums: [0],
  order,
});
export const scalar = (id: string, fn: string, inputs: Json[], extra: Partial<Case> = {}): Case => ({
  id,
  fn,
  kind: "scalar",
  inputs,
  argnums: inputs.map((_, i) => i),
  ...extra,
});
/** The documented differences of maximum and minimum: NaN in, NaN out. */
export const selectionDiffers = ["d/dx", "d/dy"].map((quantity): Difference => ({
  quantity,
  where: ([x, y]) => isNaN(x) || isNaN(y),
  gradlab: NaN,
  torch: 1,
  why: NAN_SELECTION,
}));

export const CASES: Case[] = [
  unary("neg"),
  unary("exp"),
  unary("log"),
  unary("log1p"),
  unary("expm1"),
  unary("sin"),
  unary("cos"),
  unary("tanh"),
  unary("sigmoid"),
  unary("softplus"),
  unary("sqrt"),
  unary("abs", [{ quantity: "d/dx", where: ([x]) => isNaN(x), gradlab: NaN, torch: 0, why: SIGN_OF_NAN }]),
  unary("sign", [{ quantity: "value", where: ([x]) => isNaN(x), gradlab: NaN, torch: 0, why: SIGN_OF_NAN }]),
  unary("relu", [{ quantity: "d/dx", where: ([x]) => isNaN(x), gradlab: NaN, torch: 1, why: NAN_SELECTION }]),
  unary("square"),
  unary("pow0"),
  unary("pow1"),
  unary("pow2"),
  unary("pow3"),
  unary("pow4"),
  unary("powHalf", [
    { quantity: "value", where: ([x]) => x === -Infinity, gradlab: Infinity, torch: NaN, why: TORCH_SQRT },
    { quantity: "d/dx", where: ([x]) => Object.is(x, -0), gradlab: Infinity, torch: -Infinity, why: TORCH_SQRT },
    { quantity: "d/dx", where: ([x]) => x === -Infinity, gradlab: 0, torch: NaN, why: TORCH_SQRT },
  ]),
  unary("pow1.5", [
    { quantity: "d/dx", where: ([x]) => x === -Infinity, gradlab: Infinity, torch: NaN, why: TORCH_SQRT },
    { quantity: "d2/dx2", where: ([x]) => Object.is(x, -0), gradlab: Infinity, torch: -Infinity, why: TORCH_SQRT },
    { quantity: "d2/dx2", where: ([x]) => x === -Infinity, gradlab: 0, torch: NaN, why: TORCH_SQRT },
  ]),
  unary("powMinus1"),
  unary("powMinus2"),
  unary("powMinusHalf", [
    { quantity: "value", where: ([x]) => Object.is(x, -0), gradlab: Infinity, torch: -Infinity, why: TORCH_SQRT },
    { quantity: "value", where: ([x]) => x === -Infinity, gradlab: 0, torch: NaN, why: TORCH_SQRT },
  ]),
  unary("expBase2"),
  unary("expBase0", [{ quantity: "d2/dx2", where: ([y]) => y >= 0, gradlab: 0, torch: NaN, why: POW_ZERO_BASE }]),
  taylor("pow0", [0, -0, 1, -2], 5),
  taylor("pow1", [0, -0, 1, -2], 5),
  taylor("pow2", [0, -0, 1, -2], 5),
  taylor("pow3", [0, -0, 1, -2], 5),
  taylor("pow4", [0, -0, 1, -2], 5),
  taylor("square", [0, -0, 1, -2], 4),
  taylor("powHalf", [0, 1, 4], 3),
  binary("add", PAIRS),
  binary("sub", PAIRS),
  binary("mul", PAIRS),
  binary("div", PAIRS),
  binary("pow", POW_PAIRS, [
    { quantity: "d2/dx2", where: ([x, y]) => y === 0 && (x === 0 || isNaN(x)), gradlab: 0, torch: NaN, why: POW_ZERO_EXPONENT },
    {
      quantity: "d2/dxdy",
      where: ([x, y]) => y === 0 && x > 0 && x < Infinity,
      gradlab: ([x]) => 1 / x,
      torch: 0,
      why: "∂/∂y (y x^(y-1)) = x^(y-1) (1 + y ln x) is 1/x at y = 0; torch's where(y == 0, 0, y x^(y-1)) has no derivative in y there",
    },
    {
      quantity: "d2/dxdy",
      where: ([x, y]) => y === 0 && x === 0,
      gradlab: 1,
      torch: NaN,
      why: "no value exists (x^(y-1) (1 + y ln x) → ∞ as x → 0 at y = 0); gradlab's rule forms y x^y there (see pow.ts), whose y-derivative is 1",
    },
    { quantity: "d2/dy2", where: ([x, y]) => x === 0 && y >= 0, gradlab: 0, torch: NaN, why: POW_ZERO_BASE },
    {
      quantity: "d2/dydx",
      where: ([x, y]) => y === 0 && x === 0,
      gradlab: 1,
      torch: NaN,
      why: "no value exists (see d2/dxdy at (0, 0)); gradlab's rule takes ln of 1 there (see pow.ts), so ∂/∂x (ln(x + 1) 0^0) = 1",
    },
    {
      quantity: "d2/dydx",
      where: ([x, y]) => x === 0 && y >= 1 && y < Infinity,
      gradlab: 0,
      torch: NaN,
      why: "x^(y-1) (1 + y ln x) → 0 as x → 0 for y > 1; at y = 1 no value exists (1 + ln x → -∞) and gradlab's rule gives 0 too",
    },
    {
      quantity: "d2/dydx",
      where: ([x, y]) => y === 0 && x < 0 && x > -Infinity,
      gradlab: NaN,
      torch: ([x]) => 1 / x,
      why: "x^y of a negative x has no y-derivative (ln x is NaN, torch's first derivative in y is NaN too); gradlab keeps the mixed partial NaN, torch gives 1/x",
    },
    {
      quantity: "d2/dydx",
      where: ([x, y]) => y === 0 && (x === Infinity || x === -Infinity),
      gradlab: NaN,
      torch: 0,
      why: "the product rule of ln(x) x^y meets ln(±∞) · ∂(x^0)/∂x = ∞ · 0 = NaN; torch's where drops that term",
    },
  ]),
  binary("maximum", PAIRS, selectionDiffers),
  binary("minimum", PAIRS, selectionDiffers),
  scalar("sum with infinities", "sum", [json([Infinity, -Infinity, 1, -0])]),
  scalar("mean with NaN", "mean", [json([NaN, 0, Infinity])]),
  scalar("max [Infinity, 1]", "max", [json([Infinity, 1])]),
  scalar("max [-Infinity, 1]", "max", [json([-Infinity, 1])]),
  scalar("max tie [1, 1, 0]", "max", [json([1, 1, 0])]),
  scalar("max tie [Infinity, 1, Infinity]", "max", [json([Infinity, 1, Infinity])]),
  scalar("max tie [-Infinity, -Infinity]", "max", [json([-Infinity, -Infinity])]),
  scalar("max [NaN, 1]", "max", [json([NaN, 1])]),
  scalar("max over rows", "maxRows", [json([Infinity, 1, 2, 2, 1, Infinity, -Infinity, -Infinity], [4, 2])]),
  scalar("max over rows, one of them NaN", "maxRows", [json([NaN, 0, 2, 1], [2, 2])]),
  ...[
    ["norm at 0", json([0, 0, 0])],
    ["norm at -0", json([-0])],
    ["norm of a zero matrix", json([0, 0, 0, 0], [2, 2])],
    // The sum of squares underflows to 0 here, in torch too (value 0, gradient 0).
    ["norm [1e-200, 0]", json([1e-200, 0])],
  ].map(([id, x]) =>
    scalar(id as string, "norm", [x as Json], {
      differs: [
        {
          quantity: "d2/dxdx",
          where: always,
          gradlab: 0,
          torch: NaN,
          why: "no second derivative exists at 0; gradlab takes 0 at every order above the subgradient 0, so a one-entry norm is abs at all orders (torch: 0, then NaN)",
        },
      ],
    }),
  ),
  scalar("norm [0, 1]", "norm", [json([0, 1])]),
  scalar("norm [Infinity, 1]", "norm", [json([Infinity, 1])]),
  scalar("norm [NaN, 1]", "norm", [json([NaN, 1])]),
  scalar("dot [0, Infinity] [1, 0]", "dot", [json([0, Infinity]), json([1, 0])]),
  scalar("matmul with Infinity and NaN", "matmul", [json([Infinity, 0, 1, NaN], [2, 2]), json([1, 0, 0, 1], [2, 2])]),
  // The linear shape primitives carry ±∞ and NaN through; their derivatives are the weights.
  scalar("transpose with Infinity and NaN", "transpose", [json([Infinity, NaN, -0, 1], [2, 2]), json([1, 2, 3, 4], [2, 2])]),
  scalar("reshape with Infinity and NaN", "reshape", [json([Infinity, NaN, -0, 1], [2, 2]), json([1, 2, 3, 4])]),
  scalar("broadcast_to with Infinity", "broadcast", [json([-Infinity, 0]), json([1, 2, 3, 4, 5, 6], [3, 2])]),
  scalar("diag of a matrix with Infinity and NaN", "diagonal", [json([Infinity, NaN, 1, -Infinity], [2, 2]), json([1, 2])]),
  scalar("diag of a vector with Infinity", "diagMatrix", [json([Infinity, -0]), json([1, 2, 3, 4], [2, 2])]),
  scalar("stack and index with Infinity and NaN", "stackRows", [json([Infinity, NaN, -0, 1], [2, 2]), json([1, 2, 3, 4], [2, 2])]),
  scalar("trace with Infinity", "trace", [json([Infinity, NaN, 1, -Infinity], [2, 2])]),
  scalar("outer [0, Infinity] [1, -0]", "outer", [json([0, Infinity]), json([1, -0])]),
  scalar("det of a rank-1 2x2", "det", [json([1, 2, 2, 4], [2, 2])]),
  scalar("det of a rank-2 3x3", "det", [json([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])], { atol: 1e-13 }),
  scalar("det of the zero 2x2", "det", [json([0, 0, 0, 0], [2, 2])], {
    differs: [{ quantity: "d2/dxdx", where: always, gradlab: (_, i) => DET2_HESSIAN[i], torch: NaN, why: DET_HESSIAN }],
  }),
  scalar("det of the zero 3x3", "det", [json([0, 0, 0, 0, 0, 0, 0, 0, 0], [3, 3])], {
    differs: [
      {
        quantity: "d2/dxdx",
        where: always,
        gradlab: 0,
        torch: NaN,
        why: `det is cubic in the entries of a 3x3 matrix, so its Hessian at 0 is 0; ${DET_HESSIAN}`,
      },
    ],
  }),
  scalar("det of [[0]]", "det", [json([0], [1, 1])]),
  scalar("logdet of a singular PSD matrix", "logdet", [json([1, 1, 1, 1], [2, 2])], {
    error: { torch: -Infinity, why: "gradlab's logdet is for symmetric positive definite matrices and says so; torch returns ln 0 = -∞" },
  }),
  scalar("logdet of an indefinite matrix", "logdet", [json([1, 2, 2, 1], [2, 2])], {
    error: {
      torch: NaN,
      why: "gradlab's logdet is for symmetric positive definite matrices and says so; torch returns ln of a negative det, NaN",
    },
  }),
  scalar("inv with an infinite entry", "inv", [json([Infinity, 0, 0, 1], [2, 2])]),
  scalar("inv with a NaN entry", "inv", [json([NaN, 0, 0, 1], [2, 2])]),
  scalar("solve with an infinite right-hand side", "solve", [json([2, 1, 1, 3], [2, 2]), json([Infinity, 0])]),
  scalar("cholesky with an infinite diagonal", "cholesky", [json([Infinity, 0, 0, 1], [2, 2])], {
    differs: [
      { quantity: "d/dx", where: (_, i) => i === 1 || i === 2, gradlab: NaN, torch: 0, why: MATRIX_INFINITY },
      { quantity: "d2/dxdx", where: (_, i) => i % 4 === 3, gradlab: NaN, torch: (_, i) => (i === 15 ? -0.25 : 0), why: MATRIX_INFINITY },
    ],
  }),
  scalar("cholesky with a NaN entry", "cholesky", [json([NaN, 0, 0, 1], [2, 2])]),
  scalar("logdet with an infinite diagonal", "logdet", [json([Infinity, 0, 0, 1], [2, 2])]),
  scalar("det with an infinite entry", "det", [json([Infinity, 0, 0, 1], [2, 2])], {
    differs: [
      { quantity: "d/dx", where: (_, i) => i < 3, gradlab: (_, i) => [1, -0, -0][i], torch: NaN, why: DET_COFACTORS },
      { quantity: "d2/dxdx", where: always, gradlab: (_, i) => DET2_HESSIAN[i], torch: NaN, why: DET_COFACTORS },
    ],
  }),
  scalar("det with a NaN entry", "det", [json([NaN, 1, 2, 3], [2, 2])], {
    differs: [
      { quantity: "d/dx", where: (_, i) => i < 3, gradlab: (_, i) => [3, -2, -1][i], torch: NaN, why: DET_COFACTORS },
      { quantity: "d2/dxdx", where: always, gradlab: (_, i) => DET2_HESSIAN[i], torch: NaN, why: DET_COFACTORS },
    ],
  }),
  scalar("inv of a singular matrix", "inv", [json([1, 2, 2, 4], [2, 2])], { error: true }),
  scalar("solve with a singular matrix", "solve", [json([1, 2, 2, 4], [2, 2]), json([1, 1])], { error: true }),
  scalar("cholesky of a singular PSD matrix", "cholesky", [json([1, 1, 1, 1], [2, 2])], { error: true }),
  scalar("cholesky of an indefinite matrix", "cholesky", [json([1, 2, 2, 1], [2, 2])], { error: true }),
];
