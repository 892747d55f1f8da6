/** @file gradcheck on the seminar's exercises (items 1-2): right formulas pass, wrong ones fail entry by entry. */
import { describe, expect, it } from "vitest";
import { add, dot, exp, log1p, logdet, mul, sigmoid, tensor, transpose, type Tensor } from "gradlab";
import { gradcheck } from "../../src/check/gradcheck.js";
import { entryName, errors, isClose } from "../../src/check/compare.js";
import { JUPYTER_DISPLAY } from "../../src/display/mime.js";

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
    expect(r.gradient.map((row) => row.fd)).toBeAllclose(a.map((ai) => sig(at) * ai), { rtol: 1e-7 });
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
    // The text table wraps its widest cells to the print linewidth (issue 11).
    expect((bundle["text/plain"] as string).replace(/\s+/g, " ")).toContain("FAIL: formula ≠ autodiff");
  });

  it("checks the log-determinant gradient X^-1 on an SPD matrix (seminar item 2)", () => {
    const X = [[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]];
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
