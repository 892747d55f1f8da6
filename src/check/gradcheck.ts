/**
 * @file gradcheck: autodiff vs central finite differences vs the user's own formula, entry by
 * entry, for the gradient and optionally the Hessian of a scalar function of one tensor.
 */
import { noteTransform } from "../core/byhand.js";
import { grad } from "../transforms/grad.js";
import { hessian as adHessian } from "../transforms/hessian.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import { entryName, errors, FD_ATOL, FD_RTOL, FORMULA_ATOL, FORMULA_RTOL, isClose } from "./compare.js";
import { GradcheckReport, type CheckRow } from "./report.js";

/**
 * Options of {@link gradcheck}.
 *
 * @example
 * gradcheck(f, x, { analytic: g, hessian: h, eps: 1e-5, throwOnFail: true });
 */
export interface GradcheckOptions {
  /** The user's gradient formula g(x), same shape as x. */
  analytic?: (x: Tensor) => TensorLike;
  /** The user's Hessian formula h(x), shape [...x.shape, ...x.shape]. */
  hessian?: (x: Tensor) => TensorLike;
  /** Relative finite-difference step: h_i = eps * max(1, |x_i|) (default 1e-5). */
  eps?: number;
  /** Throw right away when a check fails (homework cells fail loudly). */
  throwOnFail?: boolean;
  /** Name of the function in messages (default f's own name). */
  name?: string;
}

/** Default relative step of central differences (near the cube root of machine epsilon). */
const DEFAULT_EPS = 1e-5;

function scalarOf(who: string, f: (x: Tensor) => TensorLike, x: Tensor): number {
  const y = asTensor(f(x));
  if (y.size !== 1) throw new Error(`${who}: expected f to return a scalar, got shape [${y.shape.join(", ")}]`);
  return y.data[0];
}

function shaped(who: string, what: string, v: TensorLike, shape: readonly number[]): Float64Array {
  const t = asTensor(v);
  if (t.shape.join(",") !== shape.join(",")) {
    throw new Error(`${who}: expected the ${what} to have shape [${shape.join(", ")}], got [${t.shape.join(", ")}]`);
  }
  return t.data;
}

/** Central differences of `fn` (R^n -> R^k, flattened) along each coordinate: a [k, n] array. */
function centralDiff(fn: (x: Tensor) => Float64Array, x: Tensor, eps: number): Float64Array[] {
  const cols: Float64Array[] = [];
  for (let i = 0; i < x.size; i++) {
    const h = eps * Math.max(1, Math.abs(x.data[i]));
    const plus = x.data.slice();
    const minus = x.data.slice();
    plus[i] += h;
    minus[i] -= h;
    const fp = fn(new Tensor(plus, x.shape));
    const fm = fn(new Tensor(minus, x.shape));
    // Divide by the step actually taken (x + h may round).
    cols.push(fp.map((v, k) => (v - fm[k]) / (plus[i] - minus[i])));
  }
  return cols;
}

function rows(
  names: string[],
  ad: Float64Array,
  fd: Float64Array,
  formula: Float64Array | undefined,
): CheckRow[] {
  return names.map((entry, k) => {
    const e = errors(ad[k], fd[k]);
    const fdOk = isClose(ad[k], fd[k], FD_ATOL, FD_RTOL);
    const row: CheckRow = { entry, autodiff: ad[k], fd: fd[k], fdAbs: e.abs, fdRel: e.rel, fdOk, ok: fdOk };
    if (formula) {
      const u = errors(formula[k], ad[k]);
      row.formula = formula[k];
      row.formulaAbs = u.abs;
      row.formulaRel = u.rel;
      row.formulaOk = isClose(formula[k], ad[k], FORMULA_ATOL, FORMULA_RTOL);
      row.ok = fdOk && row.formulaOk;
    }
    return row;
  });
}

/**
 * Check the gradient (and optionally the Hessian) of a scalar function at `x`: autodiff against
 * central finite differences and against the user's formulas, per entry, with absolute and
 * relative errors and a pass/fail per row and overall. Display the report in a notebook; call
 * `.assert()` (or pass `throwOnFail`) to make a failing check throw.
 *
 * @example
 * const a = tensor([1, -2]);
 * const f = (x) => log1p(exp(dot(a, x)));
 * gradcheck(f, [0.1, 0.3], { analytic: (x) => mul(sigmoid(dot(a, x)), a) }).assert();
 */
export function gradcheck(f: (x: Tensor) => TensorLike, x: TensorLike, opts: GradcheckOptions = {}): GradcheckReport {
  const who = "gradcheck";
  noteTransform("gradcheck");
  if (typeof f !== "function") throw new Error(`${who}: expected a function, got ${f === null ? "null" : typeof f}`);
  for (const k of ["analytic", "hessian"] as const) {
    if (opts[k] !== undefined && typeof opts[k] !== "function") {
      throw new Error(`${who}: expected --${k} to be a function, got ${typeof opts[k]}`);
    }
  }
  let x0: Tensor;
  try {
    x0 = asTensor(x);
  } catch (e) {
    throw new Error(`${who}: expected x to be a tensor, got ${(e as Error).message}`);
  }
  const eps = opts.eps ?? DEFAULT_EPS;
  if (!(eps > 0 && eps < 1)) throw new Error(`${who}: expected 0 < eps < 1, got ${eps}`);
  const value = scalarOf(who, f, x0);
  const names = Array.from({ length: x0.size }, (_, k) => entryName(k, x0.shape));
  const g = grad(f as (x: Tensor) => Tensor);
  const ad = shaped(who, "autodiff gradient", g(x0), x0.shape);
  const fdCols = centralDiff((p) => Float64Array.of(scalarOf(who, f, p)), x0, eps);
  const fd = Float64Array.from(fdCols, (c) => c[0]);
  const formula = opts.analytic ? shaped(who, "analytic gradient", opts.analytic(x0), x0.shape) : undefined;
  const gradientRows = rows(names, ad, fd, formula);

  let hessianRows: CheckRow[] | undefined;
  if (opts.hessian) {
    const hShape = [...x0.shape, ...x0.shape];
    const n = x0.size;
    const adH = shaped(who, "autodiff Hessian", adHessian(f as (x: Tensor) => Tensor)(x0), hShape);
    // Differences of the autodiff gradient: column j = d(grad)/dx_j, so entry [i, j] = cols[j][i].
    const cols = centralDiff((p) => shaped(who, "autodiff gradient", g(p), x0.shape), x0, eps);
    const fdH = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) fdH[i * n + j] = cols[j][i];
    const userH = shaped(who, "Hessian formula", opts.hessian(x0), hShape);
    const hNames = Array.from({ length: n * n }, (_, k) => entryName(k, hShape));
    hessianRows = rows(hNames, adH, fdH, userH);
  }
  const report = new GradcheckReport({
    name: opts.name ?? (f.name || "f"),
    value,
    shape: [...x0.shape],
    gradient: gradientRows,
    hessian: hessianRows,
  });
  if (opts.throwOnFail) report.assert();
  return report;
}
