/**
 * @file gradcheck: autodiff vs central finite differences vs the user's own formula, entry by
 * entry, for the gradient and optionally the Hessian of a scalar function of one tensor.
 *
 * Finite differences. Each perturbation direction d (one entry, or a symmetric pair, below) gets
 * a Richardson estimate R = (4 D(h/2) - D(h)) / 3 from the central differences
 * D(t) = (f(x + t d) - f(x - t d)) / 2t, at a few steps h, and an error bound for it:
 * |D(h) - D(h/2)| (R's truncation error is of higher order than this difference, which is 3/4 of
 * D(h)'s) plus the rounding error of the differences, 3 delta / h for values computed to within
 * delta = ROUNDOFF_ULPS * eps * |largest value seen|. The estimate with the smallest bound is
 * used, and the bound widens the tolerance: autodiff fails only where it disagrees with an
 * estimate by more than that estimate can be wrong. The steps are `eps` (right for functions
 * that vary on the unit scale), `eps * |x_i|` (for those that vary on the scale of x_i, e.g.
 * powers of a large x_i, where the absolute step drowns in the rounding of a large f) and
 * `100 eps` (when f is large next to its variation, so rounding dominates: sum(x^2) + 1e8).
 *
 * Symmetric matrices. A function of a symmetric matrix (logdet, cholesky, which reads only the
 * lower triangle) is defined, or meaningful, only on symmetric matrices, so perturbing one entry
 * either raises or measures something else. For a symmetric square x (or `symmetric: true`) the
 * directions are E_ii and (E_ij + E_ji) / 2, whose derivative is <G, d>, i.e. the entry [i, j]
 * of the symmetric part (G + G^T) / 2 of the autodiff gradient G; the user's formula is still
 * compared with autodiff entry by entry (both are exact, and a transposed formula stays wrong).
 */
import { noteTransform } from "../core/byhand.js";
import { grad } from "../transforms/grad.js";
import { hessian as adHessian } from "../transforms/hessian.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import { entryName, errors, FD_ATOL, FD_RTOL, FORMULA_ATOL, FORMULA_RTOL, isClose, isSymmetric } from "./compare.js";
import { GradcheckReport, type CheckRow } from "./report.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/**
 * Options of {@link gradcheck}.
 *
 * @example
 * gradcheck(f, x, { analytic: g, hessian: h, eps: 1e-5, throwOnFail: true });
 * gradcheck(logdet, X, { analytic: inv, symmetric: true });
 */
export interface GradcheckOptions {
  /** The user's gradient formula g(x), same shape as x. */
  analytic?: (x: Tensor) => TensorLike;
  /** The user's Hessian formula h(x), shape [...x.shape, ...x.shape]. */
  hessian?: (x: Tensor) => TensorLike;
  /** Base finite-difference step (default 1e-5): the steps tried are eps, 100 eps and eps |x_i|. */
  eps?: number;
  /**
   * Perturb a square matrix symmetrically (X ± t E_ii, X ± t (E_ij + E_ji) / 2). Default: when x
   * is a symmetric matrix (to the relative 1e-8 logdet accepts); `false` perturbs one entry at a time.
   */
  symmetric?: boolean;
  /** Tolerance of the formula vs autodiff, |formula - autodiff| <= atol + rtol |autodiff| (default 1e-8, 1e-6). */
  formulaTol?: { atol?: number; rtol?: number };
  /** Throw right away when a check fails (homework cells fail loudly). */
  throwOnFail?: boolean;
  /** Name of the function in messages (default f's own name). */
  name?: string;
}

/** Default smallest step: near the cube root of machine epsilon, best for plain central differences. */
const DEFAULT_EPS = 1e-5;
/** The large absolute step, as a multiple of eps (near eps^(1/5), best for a Richardson estimate). */
const LARGE_STEP = 100;
/** Rounding error assumed for one computed value of f (or of a gradient entry), in ulps of the largest value seen. */
const ROUNDOFF_ULPS = 4;

/** Errors thrown by the user's code (f, its autodiff, the formulas), as opposed to gradcheck's own input checks. */
const raisedByUser = new WeakSet<object>();

/**
 * Whether `e` was raised by the code gradcheck ran for the user (f, autodiff of f, the formulas),
 * so it is the user's error to show as it is, not a misuse of gradcheck.
 *
 * @example
 * try { gradcheck(f, x); } catch (e) { if (raisedByUserCode(e)) throw e; }
 */
export function raisedByUserCode(e: unknown): boolean {
  return typeof e === "object" && e !== null && raisedByUser.has(e);
}

function userCall<T>(body: () => T): T {
  try {
    return body();
  } catch (e) {
    const err = typeof e === "object" && e !== null ? e : new Error(String(e));
    raisedByUser.add(err);
    throw err;
  }
}

function scalarOf(who: string, y: TensorLike): number {
  const t = asTensor(y);
  if (t.size !== 1)
    throw new GradlabError(`${who}: ${tr("expected f to return a scalar, got shape [{shape}]", { shape: t.shape.join(", ") })}`);
  return t.data[0];
}

function shaped(who: string, what: string, v: TensorLike, shape: readonly number[]): Float64Array {
  const t = asTensor(v);
  if (t.shape.join(",") !== shape.join(",")) {
    throw new GradlabError(
      `${who}: ${tr("expected the {what} to have shape [{shape}], got [{got}]", { what, shape: shape.join(", "), got: t.shape.join(", ") })}`,
    );
  }
  return t.data;
}

/** A perturbation direction: x + t * sum_k w[k] e_idx[k] (one entry, or (E_ij + E_ji) / 2). */
interface Direction {
  idx: number[];
  w: number[];
}

/** One direction per entry, or per entry on and above the diagonal of an n x n matrix; `of[k]` is entry k's. */
function directions(size: number, n: number | undefined): { dirs: Direction[]; of: number[] } {
  if (n === undefined)
    return { dirs: Array.from({ length: size }, (_, k) => ({ idx: [k], w: [1] })), of: Array.from({ length: size }, (_, k) => k) };
  const dirs: Direction[] = [];
  const of = new Array<number>(size);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      of[i * n + j] = of[j * n + i] = dirs.length;
      dirs.push(i === j ? { idx: [i * n + i], w: [1] } : { idx: [i * n + j, j * n + i], w: [0.5, 0.5] });
    }
  }
  return { dirs, of };
}

/** <v, d> for a flat v (or the block of it starting at `offset`). */
const along = (v: Float64Array, d: Direction, offset = 0): number => d.idx.reduce((s, k, m) => s + d.w[m] * v[offset + k], 0);

/** The text of a perturbation for messages: which entries changed, from what to what. */
function describe(x: Tensor, d: Direction, t: number): string {
  const names = d.idx.map((k) => `x${entryName(k, x.shape)}`);
  const moved = `${d.w[0] * t > 0 ? "+" : ""}${Number((d.w[0] * t).toPrecision(3))}`;
  const k = d.idx[0];
  const what = names.length === 1 ? names[0] : tr("{entries} (a symmetric perturbation)", { entries: names.join(tr(" and ")) });
  return tr("{what} changed by {moved}, from {from} to {to}", { what, moved, from: x.data[k], to: x.data[k] + d.w[0] * t });
}

/** Estimates of <grad fn, d> per output entry, with error bounds (see the file comment). */
interface Estimate {
  value: Float64Array;
  err: Float64Array;
}

/**
 * Richardson estimate along `d` at the steps eps, 100 eps, eps |x_d|, keeping per output entry
 * the one with the smallest error bound. A point where `fn` raises: at the first step this is
 * the user's error (thrown, naming the perturbation); at the larger steps that step is skipped.
 */
function estimate(fn: (x: Tensor) => Float64Array, what: string, x: Tensor, d: Direction, eps: number, hint: string): Estimate {
  const scale = Math.max(...d.idx.map((k) => Math.abs(x.data[k])));
  const steps = [eps, LARGE_STEP * eps, eps * scale].filter((h, i, all) => h > 0 && Number.isFinite(h) && all.indexOf(h) === i);
  let best: Estimate | undefined;
  for (const [s, h] of steps.entries()) {
    // D(t): perturb, evaluate, and divide by the step actually taken (x + t may round).
    const diff = (t: number) => {
      const plus = x.data.slice();
      const minus = x.data.slice();
      d.idx.forEach((k, m) => {
        plus[k] += d.w[m] * t;
        minus[k] -= d.w[m] * t;
      });
      const at = (p: Float64Array, sign: number) => {
        try {
          return fn(new Tensor(p, x.shape));
        } catch (e) {
          if (s > 0) return undefined;
          const err = e instanceof Error ? e : new Error(String(e));
          const wrapped = new GradlabError(
            "gradcheck: " +
              tr("{what} raised an error at a perturbed point (not at the x you passed): {where}{hint}. At that point: {error}", {
                what,
                where: describe(x, d, sign * t),
                hint,
                error: err.message,
              }),
            { cause: err },
          );
          wrapped.name = err.name;
          return userCall(() => {
            throw wrapped;
          });
        }
      };
      const fp = at(plus, 1);
      const fm = at(minus, -1);
      if (!fp || !fm) return undefined;
      const a = d.idx[0];
      const taken = (plus[a] - minus[a]) / (2 * d.w[0]);
      let big = 0;
      for (let k = 0; k < fp.length; k++) big = Math.max(big, Math.abs(fp[k]), Math.abs(fm[k]));
      return { d: fp.map((v, k) => (v - fm[k]) / (2 * taken)), taken, big };
    };
    const d1 = diff(h);
    const d2 = d1 && diff(h / 2);
    if (!d1 || !d2) continue;
    const delta = ROUNDOFF_ULPS * Number.EPSILON * Math.max(d1.big, d2.big);
    // Rounding: D(t) is off by at most delta / t, so R by (4 delta / t2 + delta / t1) / 3.
    const rounding = ((4 * delta) / d2.taken + delta / d1.taken) / 3;
    const value = d1.d.map((v1, k) => (4 * d2.d[k] - v1) / 3);
    const err = d1.d.map((v1, k) => Math.abs(v1 - d2.d[k]) + rounding);
    if (!best) {
      best = { value, err };
      continue;
    }
    for (let k = 0; k < value.length; k++) {
      // NaN bounds (a step that left f's domain, or x + t == x) never win.
      if (err[k] < best.err[k] || !(best.err[k] >= 0)) {
        best.value[k] = value[k];
        best.err[k] = err[k];
      }
    }
  }
  // The first step always leaves an estimate: where f raised, it threw above.
  return best!;
}

function rows(
  names: string[],
  ad: Float64Array,
  fd: Estimate,
  fdRef: Float64Array | undefined,
  formula: Float64Array | undefined,
  tol: { atol: number; rtol: number },
): CheckRow[] {
  return names.map((entry, k) => {
    const want = fdRef ? fdRef[k] : ad[k];
    const e = errors(want, fd.value[k]);
    const fdOk = isClose(want, fd.value[k], FD_ATOL + fd.err[k], FD_RTOL);
    const row: CheckRow = { entry, autodiff: ad[k], fd: fd.value[k], fdErr: fd.err[k], fdAbs: e.abs, fdRel: e.rel, fdOk, ok: fdOk };
    if (fdRef) row.fdRef = fdRef[k];
    if (formula) {
      const u = errors(formula[k], ad[k]);
      row.formula = formula[k];
      row.formulaAbs = u.abs;
      row.formulaRel = u.rel;
      row.formulaOk = isClose(formula[k], ad[k], tol.atol, tol.rtol);
      row.ok = fdOk && row.formulaOk;
    }
    return row;
  });
}

/**
 * Check the gradient (and optionally the Hessian) of a scalar function at `x`: autodiff against
 * central finite differences and against the user's formulas, per entry, with absolute and
 * relative errors and a pass/fail per row and overall. Display the report in a notebook; call
 * `.assert()` (or pass `throwOnFail`) to make a failing check throw. At a symmetric matrix x the
 * differences perturb symmetrically (see the file comment; `symmetric: false` turns it off).
 * Errors raised by f or the formulas are thrown as they are (at a perturbed point, with the
 * perturbation named); {@link raisedByUserCode} tells them from gradcheck's own input errors.
 *
 * @example
 * const a = tensor([1, -2]);
 * const f = (x) => log1p(exp(dot(a, x)));
 * gradcheck(f, [0.1, 0.3], { analytic: (x) => mul(sigmoid(dot(a, x)), a) }).assert();
 */
export function gradcheck(f: (x: Tensor) => TensorLike, x: TensorLike, opts: GradcheckOptions = {}): GradcheckReport {
  const who = "gradcheck";
  noteTransform("gradcheck");
  if (typeof f !== "function") throw new GradlabError(`${who}: expected a function, got ${f === null ? "null" : typeof f}`);
  for (const k of ["analytic", "hessian"] as const) {
    if (opts[k] !== undefined && typeof opts[k] !== "function") {
      throw new GradlabError(`${who}: expected --${k} to be a function, got ${typeof opts[k]}`);
    }
  }
  let x0: Tensor;
  try {
    x0 = asTensor(x);
  } catch (e) {
    throw new GradlabError(`${who}: expected x to be a tensor, got ${(e as Error).message}`, { cause: e });
  }
  const eps = opts.eps ?? DEFAULT_EPS;
  if (!(eps > 0 && eps < 1)) throw new GradlabError(`${who}: expected 0 < eps < 1, got ${eps}`);
  const tol = { atol: opts.formulaTol?.atol ?? FORMULA_ATOL, rtol: opts.formulaTol?.rtol ?? FORMULA_RTOL };
  if (!(tol.atol >= 0 && tol.rtol >= 0))
    throw new GradlabError(`${who}: expected formulaTol atol and rtol >= 0, got ${tol.atol} and ${tol.rtol}`);
  const square = x0.ndim === 2 && x0.shape[0] === x0.shape[1];
  if (opts.symmetric !== undefined && typeof opts.symmetric !== "boolean")
    throw new GradlabError(`${who}: expected symmetric to be true or false, got ${String(opts.symmetric)}`);
  if (opts.symmetric && !square)
    throw new GradlabError(`${who}: symmetric perturbations need a square matrix, got x of shape [${x0.shape.join(", ")}]`);
  const xSymmetric = square && x0.shape[0] > 1 && isSymmetric(x0.data, x0.shape[0]);
  const symmetric = opts.symmetric ?? xSymmetric;
  const hint =
    !symmetric && xSymmetric
      ? tr(" (x is symmetric: if f needs a symmetric matrix, check with symmetric perturbations, { symmetric: true })")
      : "";

  const value = scalarOf(
    who,
    userCall(() => f(x0)),
  );
  const names = Array.from({ length: x0.size }, (_, k) => entryName(k, x0.shape));
  const { dirs, of } = directions(x0.size, symmetric ? x0.shape[0] : undefined);
  /** Per entry k: the estimate of its direction's derivative, and what autodiff says it is (undefined: its own entry). */
  const perEntry = (est: Estimate[], ad: Float64Array, blocks: number) => {
    const n = x0.size;
    const fd: Estimate = { value: new Float64Array(blocks * n), err: new Float64Array(blocks * n) };
    const ref = symmetric ? new Float64Array(blocks * n) : undefined;
    for (let b = 0; b < blocks; b++) {
      for (let k = 0; k < n; k++) {
        // Entry [b, k]: output b along the direction of entry k.
        fd.value[b * n + k] = est[of[k]].value[b];
        fd.err[b * n + k] = est[of[k]].err[b];
        if (ref) ref[b * n + k] = along(ad, dirs[of[k]], b * n);
      }
    }
    return { fd, ref };
  };

  const g = grad(f as (x: Tensor) => Tensor);
  const ad = shaped(
    who,
    tr("autodiff gradient"),
    userCall(() => g(x0)),
    x0.shape,
  );
  const fOf = (p: Tensor) => Float64Array.of(scalarOf(who, f(p)));
  const gradEst = dirs.map((d) => estimate(fOf, "f", x0, d, eps, hint));
  const gradFd = perEntry(gradEst, ad, 1);
  const formula = opts.analytic
    ? shaped(
        who,
        tr("analytic gradient"),
        userCall(() => opts.analytic!(x0)),
        x0.shape,
      )
    : undefined;
  const gradientRows = rows(names, ad, gradFd.fd, gradFd.ref, formula, tol);

  let hessianRows: CheckRow[] | undefined;
  if (opts.hessian) {
    const hShape = [...x0.shape, ...x0.shape];
    const n = x0.size;
    const adH = shaped(
      who,
      tr("autodiff Hessian"),
      userCall(() => adHessian(f as (x: Tensor) => Tensor)(x0)),
      hShape,
    );
    // Differences of the autodiff gradient along direction d estimate H d: entry i of it is row i of H along d.
    const gOf = (p: Tensor) => shaped(who, tr("autodiff gradient"), g(p), x0.shape);
    const colEst = dirs.map((d) => estimate(gOf, tr("the autodiff gradient of f"), x0, d, eps, hint));
    // Entry [i, j] of H is gradient entry i along the direction of entry j.
    const { fd, ref } = perEntry(colEst, adH, n);
    const userH = shaped(
      who,
      tr("Hessian formula"),
      userCall(() => opts.hessian!(x0)),
      hShape,
    );
    const hNames = Array.from({ length: n * n }, (_, k) => entryName(k, hShape));
    hessianRows = rows(hNames, adH, fd, ref, userH, tol);
  }
  const report = new GradcheckReport({
    name: opts.name ?? (f.name || "f"),
    value,
    shape: [...x0.shape],
    symmetric,
    gradient: gradientRows,
    hessian: hessianRows,
  });
  if (opts.throwOnFail) report.assert();
  return report;
}
