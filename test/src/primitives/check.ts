/** @file Shared checks for primitive tests: JVP vs central differences, VJP vs JVP, second order. */
import { expect } from "vitest";
import { Rng, Tensor, jvp, vjp } from "gradlab";

/** Central-difference step (relative to max(1, |x|)). */
export const FD_STEP = 1e-6;
/** Tolerances for derivatives against central differences (O(h^2) + rounding/h). */
export const FD_RTOL = 1e-5;
export const FD_ATOL = 1e-6;
/** Tolerance for identities that hold exactly up to rounding (<yBar, J v> = <J^T yBar, v>). */
export const EXACT_RTOL = 1e-9;

type Fn = (...xs: Tensor[]) => Tensor;

/** Options: directions (default random normal), seed, and tolerances. */
export interface CheckOptions {
  directions?: Tensor[];
  seed?: number;
  rtol?: number;
  atol?: number;
}

function inner(a: Tensor, b: Tensor): number {
  expect(a.shape).toEqual(b.shape);
  let s = 0;
  for (let i = 0; i < a.size; i++) s += a.data[i] * b.data[i];
  return s;
}

function shifted(x: Tensor, v: Tensor, h: number): Tensor {
  return new Tensor(
    x.data.map((xi, i) => xi + h * v.data[i]),
    x.shape,
  );
}

/** Central difference of g along directions vs, with step FD_STEP. */
export function centralDiff(g: Fn, xs: Tensor[], vs: Tensor[]): Float64Array {
  const scale = Math.max(1, ...xs.flatMap((x) => Array.from(x.data, Math.abs)));
  const h = FD_STEP * scale;
  const plus = g(...xs.map((x, i) => shifted(x, vs[i], h)));
  const minus = g(...xs.map((x, i) => shifted(x, vs[i], -h)));
  return plus.data.map((p, i) => (p - minus.data[i]) / (2 * h));
}

function directionsFor(xs: Tensor[], opts: CheckOptions): Tensor[] {
  const rng = new Rng(opts.seed ?? 7);
  return opts.directions ?? xs.map((x) => rng.randn(x.shape));
}

/**
 * JVP against central differences, VJP against JVP (<yBar, J v> = <J^T yBar, v>), cotangent
 * shapes equal input shapes, and the second-order check: the pullback x -> J(x)^T yBar is
 * itself differentiated by jvp and compared with its central differences (rules are
 * differentiable, so hessians are right).
 */
export function checkDerivatives(f: Fn, xs: Tensor[], opts: CheckOptions = {}): void {
  const rtol = opts.rtol ?? FD_RTOL;
  const atol = opts.atol ?? FD_ATOL;
  const vs = directionsFor(xs, opts);
  const [y, yDot] = jvp(f, xs, vs);
  expect(y).toBeAllclose(f(...xs), { rtol: 1e-12, atol: 0 });
  expect(yDot.shape).toEqual(y.shape);
  expect(yDot).toBeAllclose(centralDiff(f, xs, vs), { rtol, atol });

  const rng = new Rng((opts.seed ?? 7) + 1);
  const yBar = rng.randn(y.shape);
  const [y2, pullback] = vjp(f, ...xs);
  expect(y2).toBeAllclose(y, { rtol: 0, atol: 0 });
  const cts = pullback(yBar);
  cts.forEach((ct, i) => expect(ct.shape).toEqual(xs[i].shape));
  const lhs = inner(yBar, yDot);
  const rhs = cts.reduce((s, ct, i) => s + inner(ct, vs[i]), 0);
  expect(rhs).toBeAllclose(lhs, { rtol: EXACT_RTOL, atol: 1e-12 });

  // Second order: d/dt [J(x + t v)^T yBar] by jvp of the pullback vs central differences.
  for (let i = 0; i < xs.length; i++) {
    const pulled: Fn = (...zs) => vjp(f, ...zs)[1](yBar)[i];
    const [, second] = jvp(pulled, xs, vs);
    expect(second).toBeAllclose(centralDiff(pulled, xs, vs), { rtol: rtol * 10, atol: atol * 10 });
  }
}

/** Reference elementwise map for forward checks. */
export function mapRef(x: Tensor, f: (v: number) => number): number[] {
  return Array.from(x.data, f);
}
