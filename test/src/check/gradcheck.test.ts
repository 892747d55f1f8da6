/** @file gradcheck on the seminar's exercises (items 1-2): right formulas pass, wrong ones fail entry by entry. */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  add,
  cholesky,
  dot,
  exp,
  homework,
  inv,
  log1p,
  logdet,
  matmul,
  mul,
  sigmoid,
  sin,
  square,
  sub,
  sum,
  tensor,
  transpose,
  type Tensor,
} from "gradlab";
import { gradcheck, raisedByUserCode } from "../../../src/check/gradcheck.js";
import { entryName, errors, isClose, isSymmetric } from "../../../src/check/compare.js";
import type { GradcheckReport } from "../../../src/check/report.js";
import { JUPYTER_DISPLAY } from "../../../src/display/mime.js";

const a = [1, -2, 0.5];
const x0 = [0.3, 0.1, -0.4];
const logreg = (x: Tensor) => log1p(exp(dot(tensor(a), x)));
const sig = (t: number) => 1 / (1 + Math.exp(-t));
const at = a.reduce((s, ai, i) => s + ai * x0[i], 0);

describe("gradcheck", () => {
  it("passes the known logistic-regression gradient and Hessian (seminar item 1)", () => {
    const r = gradcheck(logreg, x0, {
      analytic: (x) => mul(sigmoid(dot(tensor(a), x)), tensor(a)),
      hessian: () => {
        const s = sig(at);
        return tensor(a.map((ai) => a.map((aj) => s * (1 - s) * ai * aj)));
      },
    });
    expect(r.ok).toBe(true);
    expect(r.passed).toBe(true);
    expect(r.gradient.map((row) => row.fd)).toBeAllclose(
      a.map((ai) => sig(at) * ai),
      { rtol: 1e-7 },
    );
    expect(r.hessian).toHaveLength(9);
    expect(r.hessian![1].entry).toBe("[0, 1]");
    expect(r.assert()).toBe(r);
    expect(r.summary()).toMatch(/PASSED \(gradient 3\/3 entries ok, Hessian 9\/9\)/);
  });

  it("points out a wrong formula entry by entry and throws on assert", () => {
    // Wrong: forgets sigma on the last two entries.
    const wrong = (x: Tensor) => {
      const s = sig(dot(tensor(a), x).item());
      return tensor([s * a[0], a[1], a[2]]);
    };
    const r = gradcheck(logreg, x0, { analytic: wrong });
    expect(r.ok).toBe(false);
    expect(r.gradient.map((row) => row.ok)).toEqual([true, false, false]);
    expect(r.gradient.map((row) => row.fdOk)).toEqual([true, true, true]);
    expect(r.failures()).toHaveLength(2);
    expect(r.failures()[0]).toMatch(/^gradient formula wrong at \[1\]: yours -2, autodiff -/);
    expect(() => r.assert()).toThrow(/gradcheck logreg: FAILED\n {2}gradient formula wrong at \[1\]/);
    expect(() => gradcheck(logreg, x0, { analytic: wrong, throwOnFail: true })).toThrow(/FAILED/);
    const bundle = r[JUPYTER_DISPLAY]();
    expect(bundle["text/html"]).toContain('<tr class="fail">');
    expect((bundle["text/html"] as string).match(/<tr class="fail">/g)).toHaveLength(2);
    // The text table wraps its widest cells to the print linewidth.
    expect((bundle["text/plain"] as string).replace(/\s+/g, " ")).toContain("FAIL: formula ≠ autodiff");
  });

  it("checks the log-determinant gradient X^-1 on an SPD matrix (seminar item 2)", () => {
    const X = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 2],
    ];
    // Closed form inverse by cofactors, independent of the library.
    const [[p, q, r], [, s, t], [, , u]] = X;
    const det = p * (s * u - t * t) - q * (q * u - t * r) + r * (q * t - s * r);
    const inv = [
      [s * u - t * t, r * t - q * u, q * t - r * s],
      [r * t - q * u, p * u - r * r, q * r - p * t],
      [q * t - r * s, q * r - p * t, p * s - q * q],
    ].map((row) => row.map((v) => v / det));
    // logdet only accepts symmetric input, so differences (which perturb one entry) go through
    // the symmetric part; its gradient at a symmetric X is still X^-1.
    const rep = gradcheck((M: Tensor) => logdet(mul(0.5, add(M, transpose(M)))), X, { analytic: () => tensor(inv) });
    expect(rep.ok).toBe(true);
    expect(rep.gradient[5].entry).toBe("[1, 2]");
    expect(rep.gradient.map((row) => row.autodiff)).toBeAllclose(inv.flat());
  });

  it("rejects bad input with specific errors", () => {
    expect(() => gradcheck("f" as never, 1)).toThrow("gradcheck: expected a function, got string");
    expect(() => gradcheck((x: Tensor) => mul(x, 2), [1, 2])).toThrow("gradcheck: expected f to return a scalar, got shape [2]");
    expect(() => gradcheck(logreg, x0, { analytic: () => tensor([1, 2]) })).toThrow(
      "gradcheck: expected the analytic gradient to have shape [3], got [2]",
    );
    expect(() => gradcheck(logreg, x0, { eps: 0 })).toThrow("gradcheck: expected 0 < eps < 1, got 0");
    expect(() => gradcheck(logreg, x0, { analytic: 3 as never })).toThrow("gradcheck: expected --analytic to be a function, got number");
  });

  it("compares numbers with numpy semantics", () => {
    expect(isClose(1 + 1e-9, 1, 0, 1e-8)).toBe(true);
    expect(isClose(NaN, NaN, 1, 1)).toBe(false);
    expect(errors(2, 1)).toEqual({ abs: 1, rel: 0.5 });
    expect(entryName(5, [2, 3])).toBe("[1, 2]");
    expect(entryName(0, [])).toBe("[]");
  });
});

/** The inverse of a 3x3 matrix by cofactors (independent of the library). */
function inv3(X: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = X;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [e * i - f * h, c * h - b * i, b * f - c * e],
    [f * g - d * i, a * i - c * g, c * d - a * f],
    [d * h - e * g, b * g - a * h, a * e - b * d],
  ].map((row) => row.map((v) => v / det));
}

/** Every finite-difference estimate is within its own error bound of the true derivative. */
function withinBounds(rows: GradcheckReport["gradient"], truth: number[]): void {
  rows.forEach((row, k) =>
    expect(Math.abs(row.fd - truth[k]), `${row.entry}: fd ${row.fd}, truth ${truth[k]}, bound ${row.fdErr}`).toBeLessThanOrEqual(row.fdErr),
  );
}

describe("gradcheck of functions of a symmetric matrix (symmetric perturbations)", () => {
  const X = [
    [4, 1, 0.5],
    [1, 3, 0.2],
    [0.5, 0.2, 2],
  ];
  const A = inv3(X);

  it("checks ln det X itself at an SPD X: gradient X^-1 and Hessian -(X^-1 ⊗ X^-1) (closed forms)", () => {
    // Autodiff's rule (XBar = yBar X^-1) differentiates to H[a, b, c, d] = -A[a][c] A[d][b] = -A[a][c] A[b][d].
    const H = A.flatMap((ra) => ra.flatMap((_, b) => A.flatMap((_, c) => A.map((_, d) => -ra[c] * A[b][d]))));
    const r = gradcheck(logdet, X, { analytic: () => tensor(A), hessian: () => tensor(H).reshape([3, 3, 3, 3]) });
    expect(r.summary()).toMatch(
      /^gradcheck logdet at x of shape \[3, 3\], f\(x\) = [\d.]+, symmetric perturbations: PASSED \(gradient 9\/9 entries ok, Hessian 81\/81\)$/,
    );
    expect(r.symmetric).toBe(true);
    expect(r.gradient.map((row) => row.autodiff)).toBeAllclose(A.flat(), { rtol: 1e-12, atol: 0 });
    expect(r.gradient.map((row) => row.fd)).toBeAllclose(A.flat(), { rtol: 1e-8, atol: 0 });
    withinBounds(r.gradient, A.flat());
    // Hessian differences along (E_cd + E_dc)/2 measure (H[a, b, c, d] + H[a, b, d, c]) / 2.
    const symH = H.map((_, k) => {
      const [ab, c, d] = [Math.floor(k / 9), Math.floor(k / 3) % 3, k % 3];
      return (H[ab * 9 + c * 3 + d] + H[ab * 9 + d * 3 + c]) / 2;
    });
    withinBounds(r.hessian!, symH);
    expect(r.toString().replace(/\s+/g, " ")).toContain("along symmetric perturbations X ± t E_ii, X ± t (E_ij + E_ji)/2");
  });

  it("checks sum(cholesky(S)), which reads only the lower triangle, against its closed form", () => {
    // S = [[a, b], [b, c]]: L = [[√a, 0], [b/√a, r]], r = √(c - b²/a); the symmetric gradient
    // has ∂/∂a, ∂/∂c on the diagonal and half of ∂/∂b (b stands in two entries) off it (as torch).
    const [a, b, c] = [4, 1, 3];
    const rr = Math.sqrt(c - (b * b) / a);
    const da = 1 / (2 * Math.sqrt(a)) - b / (2 * a ** 1.5) + (b * b) / (a * a) / (2 * rr);
    const db = 1 / Math.sqrt(a) - b / a / rr;
    const dc = 1 / (2 * rr);
    const G = [da, db / 2, db / 2, dc];
    const r = gradcheck(
      (S: Tensor) => sum(cholesky(S)),
      [
        [a, b],
        [b, c],
      ],
      {
        analytic: () =>
          tensor([
            [da, db / 2],
            [db / 2, dc],
          ]),
      },
    );
    expect(r.ok).toBe(true);
    expect(r.gradient.map((row) => row.autodiff)).toBeAllclose(G, { rtol: 1e-12, atol: 0 });
    withinBounds(r.gradient, G);
  });

  it("still fails wrong formulas: entry by entry, so a transpose at a symmetric point is caught", () => {
    // 2 X^-1 - diag(X^-1) is the derivative wrt the n(n+1)/2 free entries, not the gradient.
    const twice = A.map((row, i) => row.map((v, j) => (i === j ? v : 2 * v)));
    const r = gradcheck(logdet, X, { analytic: () => tensor(twice) });
    expect(r.gradient.map((row) => row.ok)).toEqual([true, false, false, false, true, false, false, false, true]);
    expect(r.gradient.every((row) => row.fdOk)).toBe(true);
    // <u, X v> is defined on all matrices; at X = I (symmetric) its gradient is u vᵀ, not v uᵀ.
    const u = tensor([1, 2, 3]);
    const v = tensor([-1, 0.5, 2]);
    const bilinear = (M: Tensor) => dot(u, matmul(M, v));
    const I = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const uv = [1, 2, 3].map((ui) => [-1, 0.5, 2].map((vj) => ui * vj));
    expect(gradcheck(bilinear, I, { analytic: () => tensor(uv) }).ok).toBe(true);
    const transposed = gradcheck(bilinear, I, { analytic: () => transpose(tensor(uv)) });
    expect(transposed.symmetric).toBe(true);
    expect(transposed.gradient.filter((row) => !row.ok).map((row) => row.entry)).toEqual([
      "[0, 1]",
      "[0, 2]",
      "[1, 0]",
      "[1, 2]",
      "[2, 0]",
      "[2, 1]",
    ]);
    // With one entry at a time, the differences see u vᵀ itself.
    const entries = gradcheck(bilinear, I, { symmetric: false });
    expect(entries.symmetric).toBe(false);
    expect(entries.gradient.map((row) => row.fd)).toBeAllclose(uv.flat(), { rtol: 1e-8, atol: 1e-12 });
  });

  it("names the perturbation when f raises at a perturbed point, and passes f's own errors through", () => {
    const caught = (body: () => unknown): Error => {
      try {
        body();
      } catch (e) {
        return e as Error;
      }
      throw new Error("no error");
    };
    const asym = caught(() =>
      gradcheck(
        logdet,
        [
          [2, 1],
          [1, 2],
        ],
        { symmetric: false },
      ),
    );
    expect(asym.message).toBe(
      "gradcheck: f raised an error at a perturbed point (not at the x you passed): x[0, 1] changed by +0.00001, from 1 to 1.00001 " +
        "(x is symmetric: if f needs a symmetric matrix, check with symmetric perturbations, { symmetric: true }). " +
        "At that point: logdet: expected a symmetric matrix, got X[1,0] = 1 but X[0,1] = 1.00001",
    );
    expect(raisedByUserCode(asym)).toBe(true);
    // Positive definite, but not after taking 1e-5 off X[0, 0].
    const edge = caught(() =>
      gradcheck(logdet, [
        [1, 1],
        [1, 1 + 1e-9],
      ]),
    );
    expect(edge.message).toMatch(
      /^gradcheck: f raised an error at a perturbed point \(not at the x you passed\): x\[0, 0\] changed by -0\.00001, from 1 to 0\.99999\. At that point: logdet: matrix is not positive definite$/,
    );
    const singular = caught(() =>
      gradcheck(
        (M: Tensor) => sum(inv(M)),
        [
          [1, 2],
          [2, 4],
        ],
      ),
    );
    expect(singular.message).toMatch(/^inv: the 2x2 matrix is singular/);
    expect(raisedByUserCode(singular)).toBe(true);
    expect(raisedByUserCode(caught(() => gradcheck(logreg, x0, { eps: 2 })))).toBe(false);
    expect(() => gradcheck(logdet, [1, 2], { symmetric: true })).toThrow(
      "gradcheck: symmetric perturbations need a square matrix, got x of shape [2]",
    );
    expect(() => gradcheck(logdet, X, { symmetric: "yes" as never })).toThrow("gradcheck: expected symmetric to be true or false, got yes");
    expect(isSymmetric(Float64Array.of(1, 2, 2 + 1e-9, 1), 2)).toBe(true);
    expect(isSymmetric(Float64Array.of(1, 2, 2.001, 1), 2)).toBe(false);
  });
});

describe("gradcheck's tolerance and steps follow f's size and x's size", () => {
  const bowl = (x: Tensor) => add(sum(square(x)), 1e8);

  it("passes sum(x²) + 1e8 (rounding of a large f), and still fails a wrong gradient of it", () => {
    const r = gradcheck(bowl, [1, 2, 3], { analytic: (x) => mul(2, x) });
    expect(r.ok).toBe(true);
    withinBounds(r.gradient, [2, 4, 6]);
    // The bound is the rounding of f (about 1e8 eps / step), small next to the gradient.
    for (const row of r.gradient) expect(row.fdErr).toBeLessThan(1e-3);
    // x times a constant copy of x: autodiff says x, the derivative is 2x.
    const detached = (x: Tensor) => add(sum(mul(x, tensor(x.toArray() as number[]))), 1e8);
    const wrong = gradcheck(detached, [1, 2, 3]);
    expect(wrong.ok).toBe(false);
    expect(wrong.gradient.map((row) => row.fdOk)).toEqual([false, false, false]);
    expect(wrong.failures()[0]).toMatch(
      /^gradient autodiff disagrees with finite differences at \[0\]: 1 vs 2\.0+\d* \(rel err 0\.5; the differences are good to /,
    );
  });

  it("passes functions of x = 12345.68 that vary on the unit scale and on the scale of x (closed forms)", () => {
    const x = 12345.68;
    const cases: [string, (t: Tensor) => Tensor, number][] = [
      ["sin", (t) => sum(sin(t)), Math.cos(x)],
      ["sigmoid(x - 12345)", (t) => sum(sigmoid(sub(t, 12345))), Math.exp(-(x - 12345)) / (1 + Math.exp(-(x - 12345))) ** 2],
      ["exp(x - 12345)", (t) => sum(exp(sub(t, 12345))), Math.exp(x - 12345)],
      ["x²", (t) => sum(square(t)), 2 * x],
      ["x³", (t) => sum(mul(t, square(t))), 3 * x * x],
    ];
    for (const [what, f, want] of cases) {
      const r = gradcheck(f, [x]);
      expect(r.ok, `${what}: ${r.toString()}`).toBe(true);
      expect(r.gradient[0].fd, what).toBeAllclose(want, { rtol: 1e-9, atol: 0 });
      withinBounds(r.gradient, [want]);
    }
    // A wrong formula at such an x still fails.
    expect(gradcheck((t: Tensor) => sum(sin(t)), [x], { analytic: (t) => mul(-1, sin(t)) }).ok).toBe(false);
    // x = 1e8: f = x² is 1e16, so only a step on the scale of x resolves 2x.
    const big = gradcheck((t: Tensor) => sum(square(t)), [1e8]);
    expect(big.ok).toBe(true);
    expect(big.gradient[0].fd).toBeAllclose(2e8, { rtol: 1e-9, atol: 0 });
  });
});

describe("homework checks: a verdict never contradicts its count", () => {
  afterEach(() => vi.restoreAllMocks());
  const quiet = () => vi.spyOn(console, "log").mockImplementation(() => undefined);
  const message = (body: () => void): string => {
    try {
      body();
    } catch (e) {
      return (e as Error).message;
    }
    return "correct";
  };

  it("passes a right gradient of sum(x²) + 1e8, and one off by 5e-8 at a zero entry (within tol 1e-6)", () => {
    const log = quiet();
    const hw = homework.checker();
    const bowl = (x: Tensor) => add(sum(square(x)), 1e8);
    expect(message(() => hw.gradient("bowl", bowl, tensor([1, 2]), (x) => mul(2, x)))).toBe("correct");
    expect(
      message(() =>
        hw.gradient(
          "near",
          (x: Tensor) => sum(square(x)),
          tensor([0, 1]),
          (x) => add(mul(2, x), tensor([5e-8, 0])),
        ),
      ),
    ).toBe("correct");
    expect(log.mock.calls.map((c) => c[0])).toEqual(["bowl: correct", "near: correct"]);
  });

  it("says the check could not vouch for its reference, not WRONG, when only autodiff and differences disagree", () => {
    quiet();
    const hw = homework.checker();
    // x times a constant copy of x: autodiff says x, the derivative is 2x; the answer agrees with autodiff.
    const detached = (x: Tensor) => sum(mul(x, tensor(x.toArray() as number[])));
    const m = message(() => hw.gradient("detached", detached, tensor([0, 1]), (x) => x));
    expect(m).toBe(
      "detached: could not be checked (your answer agrees with autodiff in all 2 entries, but autodiff disagrees with finite differences at [1], " +
        "see the table: the reference is in doubt, not your answer; tell your instructor)",
    );
  });

  it("counts exactly the rows the table marks wrong", () => {
    quiet();
    const shown: unknown[] = [];
    const hw = homework.checker({ display: (v) => shown.push(v) });
    const wrong = (x: Tensor) => {
      const s = sig(dot(tensor(a), x).item());
      return tensor([s * a[0], a[1], a[2]]);
    };
    const m = message(() => hw.gradient("logreg", logreg, tensor(x0), wrong));
    expect(m).toMatch(/^logreg: WRONG \(2 of 3 entries disagree\)\. Hint: /);
    const report = shown[0] as GradcheckReport;
    expect(report.gradient.filter((row) => !row.ok)).toHaveLength(2);
  });
});
