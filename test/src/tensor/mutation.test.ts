/**
 * @file Editing a tensor's numbers after it was used: every later result comes from the new
 * numbers, on every path (plain loops, WebAssembly, resident copies, two threads), and every
 * cache keyed by storage (resident copies, Cholesky factors, scalar constants) answers only the
 * question it was filled for. The reference is a plain loop over the entries as they are now.
 */
import { afterEach, describe, expect, test } from "vitest";
import {
  Tensor,
  asTensor,
  cholesky,
  grad,
  hessian,
  index,
  inv,
  jacfwd,
  jacrev,
  jvp,
  logdet,
  matmul,
  mul,
  randn,
  reshape,
  solve,
  sum,
  tensor,
  traceGraph,
  valueAndGrad,
} from "gradlab";
import { setSimdMode, setThreadMode, simdAvailable, type SimdMode, type ThreadMode } from "../../../src/tensor/simd.js";

/** y = A x by a plain loop over A's entries as they are now. */
function matvecRef(a: ArrayLike<number>, x: ArrayLike<number>, m: number, n: number): number[] {
  const y: number[] = [];
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    y.push(s);
  }
  return y;
}

/** y = Aᵀ v by a plain loop. */
function vecmatRef(v: ArrayLike<number>, a: ArrayLike<number>, m: number, n: number): number[] {
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) y[j] += v[i] * a[i * n + j];
  return y;
}

const PATHS: { name: string; simd: SimdMode; threads: ThreadMode }[] = [
  { name: "plain loops", simd: "off", threads: "off" },
  { name: "WebAssembly, one thread", simd: "always", threads: "off" },
  { name: "WebAssembly, two threads", simd: "always", threads: "always" },
];

let restore: (() => void) | null = null;
function usePath(simd: SimdMode, threads: ThreadMode): void {
  const s = setSimdMode(simd);
  const t = setThreadMode(threads);
  restore = () => {
    setSimdMode(s);
    setThreadMode(t);
  };
}
afterEach(() => {
  restore?.();
  restore = null;
});

const TOL = { rtol: 1e-12, atol: 1e-10 };

describe("editing a tensor's entries after products used it", () => {
  test("the issue's case: A x after A.data[0] += 1000 (600x600, resident after two products)", () => {
    expect(simdAvailable()).toBe(true);
    const A = randn([600, 600], { seed: 1 });
    const x = randn([600], { seed: 2 });
    const before = matmul(A, x).data[0];
    matmul(A, x);
    A.data[0] += 1000;
    const after = matmul(A, x);
    expect(after).toBeAllclose(matvecRef(A.data, x.data, 600, 600), TOL);
    expect(after.data[0] - before).toBeCloseTo(1000 * x.data[0], 6);
  });

  for (const { name, simd, threads } of PATHS) {
    test(`${name}: A x and vᵀ A from the new numbers, the array kept from .data before the products`, () => {
      usePath(simd, threads);
      const m = 520;
      const n = 1100; // above the two-thread thresholds of both products
      const A = randn([m, n], { seed: 3 });
      const x = randn([n], { seed: 4 });
      const v = randn([m], { seed: 5 });
      const kept = A.data; // held before any product
      for (let round = 0; round < 3; round++) {
        matmul(A, x);
        matmul(v, A);
        kept[round * n + 7] += 100 * (round + 1);
        kept[(m - 1) * n + round] -= 50;
        expect(matmul(A, x)).toBeAllclose(matvecRef(kept, x.data, m, n), TOL);
        expect(matmul(v, A)).toBeAllclose(vecmatRef(v.data, kept, m, n), TOL);
      }
    });

    test(`${name}: .data first asked for after the matrix became resident`, () => {
      usePath(simd, threads);
      const A = randn([600, 600], { seed: 6 });
      const x = randn([600], { seed: 7 });
      matmul(A, x);
      matmul(A, x);
      matmul(A, x);
      A.data.fill(0.5);
      expect(matmul(A, x)).toBeAllclose(matvecRef(A.data, x.data, 600, 600), TOL);
    });

    test(`${name}: between gradient calls (A in A x forward and Aᵀ r backward)`, () => {
      usePath(simd, threads);
      const A = randn([600, 600], { seed: 8 });
      const w = randn([600], { seed: 9 });
      const loss = (x: Tensor): Tensor => sum(mul(matmul(A, x), matmul(A, x)));
      grad(loss)(w);
      grad(loss)(w);
      A.data[600 * 5 + 3] += 10;
      // ∇ ‖A x‖² = 2 Aᵀ A x
      const ax = matvecRef(A.data, w.data, 600, 600);
      const want = vecmatRef(ax, A.data, 600, 600).map((g) => 2 * g);
      const [value, g] = valueAndGrad(loss)(w);
      expect(g).toBeAllclose(want, TOL);
      expect(value.item()).toBeCloseTo(
        ax.reduce((s, t) => s + t * t, 0),
        6,
      );
    });

    test(`${name}: an array wrapped by new Tensor(array), and a row view of an edited matrix`, () => {
      usePath(simd, threads);
      const arr = randn([600, 600], { seed: 10 }).toFloat64Array();
      const A = new Tensor(arr, [600, 600]);
      const x = randn([600], { seed: 11 });
      matmul(A, x);
      matmul(A, x);
      arr[1] = -7;
      expect(matmul(A, x)).toBeAllclose(matvecRef(arr, x.data, 600, 600), TOL);

      // index() rows share their matrix's storage: editing the matrix changes the row
      const S = randn([2, 600, 600], { seed: 12 });
      const B = index(S, 1);
      matmul(B, x);
      matmul(B, x);
      S.data[600 * 600 + 2] += 3;
      expect(matmul(B, x)).toBeAllclose(matvecRef(S.data.subarray(600 * 600), x.data, 600, 600), TOL);
    });
  }

  test("untouched matrices still become resident: results equal the plain path bit for bit", () => {
    const A = randn([600, 600], { seed: 13 });
    const x = randn([600], { seed: 14 });
    usePath("always", "off");
    const fast = [matmul(A, x), matmul(A, x), matmul(A, x)].map((t) => t.toArray());
    restore?.();
    usePath("off", "off");
    const plain = matmul(A, x);
    for (const r of fast) expect(r).toBeAllclose(plain, { rtol: 1e-13, atol: 1e-13 });
  });

  test("a cached scalar constant changed through .data is not reused", () => {
    const two = asTensor(2);
    two.data[0] = 5;
    expect(mul(tensor([1, 3]), 2).toArray()).toEqual([2, 6]);
  });
});

describe("a Cholesky factor answers only the matrix it was computed from", () => {
  /** X⁻¹ b for a 2x2 matrix by Cramer's rule. */
  const solve2 = (X: number[][], b: number[]): number[] => {
    const d = X[0][0] * X[1][1] - X[0][1] * X[1][0];
    return [(X[1][1] * b[0] - X[0][1] * b[1]) / d, (X[0][0] * b[1] - X[1][0] * b[0]) / d];
  };

  test("cholesky(X) of a non-symmetric X, then inv(X) and solve(X, b) of X itself", () => {
    const rows = [
      [4, 100],
      [2, 3],
    ];
    const X = tensor(rows);
    expect(cholesky(X).toArray()).toBeAllclose([
      [2, 0],
      [1, Math.SQRT2],
    ]);
    expect(solve(X, tensor([1, 1]))).toBeAllclose([0.5159574468085106, -0.010638297872340425], { rtol: 1e-13, atol: 0 });
    expect(solve(X, tensor([1, 1]))).toBeAllclose(solve2(rows, [1, 1]), { rtol: 1e-13, atol: 0 });
    const d = 4 * 3 - 100 * 2;
    expect(inv(X)).toBeAllclose(
      [
        [3 / d, -100 / d],
        [-2 / d, 4 / d],
      ],
      { rtol: 1e-13, atol: 0 },
    );
    // a view sharing X's storage asks the same question
    expect(inv(reshape(reshape(X, [4]), [2, 2]))).toBeAllclose(inv(tensor(rows)), { rtol: 0, atol: 0 });
  });

  for (const simd of ["off", "always"] as const) {
    test(`n = 20 (${simd === "off" ? "plain" : "WebAssembly"} path): non-symmetric X, and an SPD X edited after logdet`, () => {
      usePath(simd, "off");
      const n = 20;
      const R = randn([n, n], { seed: 21 });
      const spd = matmul(R, R.transpose()).add(tensor(n)).toFloat64Array();
      for (let i = 0; i < n; i++) spd[i * n + i] += n;
      // non-symmetric: the lower triangle of spd, a different upper triangle
      const ns = spd.slice();
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) ns[i * n + j] += 0.3 * (i - j);
      const X = tensor(ns, [n, n]);
      cholesky(X);
      const Xi = inv(X);
      const eye = matmul(X, Xi).toArray() as number[][];
      eye.forEach((row, i) =>
        expect(row).toBeAllclose(
          row.map((_, j) => (i === j ? 1 : 0)),
          { rtol: 0, atol: 1e-10 },
        ),
      );
      const b = randn([n], { seed: 22 });
      expect(matmul(X, solve(X, b))).toBeAllclose(b, { rtol: 0, atol: 1e-10 });

      // SPD: logdet fills the cache; editing the entries afterwards must not reuse the factor
      const S = tensor(spd, [n, n]); // the library's own storage: its factor is remembered
      logdet(S);
      S.data[0] += 5;
      S.data[n + 1] += 2;
      const Si = inv(S);
      const I2 = matmul(S, Si).toArray() as number[][];
      I2.forEach((row, i) =>
        expect(row).toBeAllclose(
          row.map((_, j) => (i === j ? 1 : 0)),
          { rtol: 0, atol: 1e-10 },
        ),
      );
    });
  }

  test("logdet then inv of the same SPD matrix still shares one factor: the gradient is X⁻¹", () => {
    const S = tensor([
      [4, 1],
      [1, 3],
    ]);
    const g = grad(logdet)(S);
    expect(g).toBeAllclose(
      [
        [3 / 11, -1 / 11],
        [-1 / 11, 4 / 11],
      ],
      { rtol: 1e-14, atol: 0 },
    );
  });
});

describe("traced values through tensor(...) and repeated argnums", () => {
  test("tensor(w, shape) inside grad and jvp keeps the derivative", () => {
    const f = (w: Tensor): Tensor => sum(mul(tensor(w, [2, 1]), 3));
    expect(grad(f)(tensor([1, 2])).toArray()).toEqual([3, 3]);
    const g = (w: Tensor): Tensor => sum(mul(tensor(w), w));
    expect(grad(g)(tensor([1, 2])).toArray()).toEqual([2, 4]);
    expect(jvp(f, [tensor([1, 2])], [tensor([1, -4])])[1].item()).toBe(-9);
    expect(jacrev((w: Tensor) => mul(tensor(w, [2, 1]), 2))(tensor([1, 2])).toArray()).toEqual([[[2, 0]], [[0, 2]]]);
  });

  test("a result rebuilt from the inputs' numbers is named as such by traceGraph (not a silent empty graph)", () => {
    expect(() => traceGraph((w: Tensor) => mul(tensor(w.toArray()), 2), tensor([1, 2]))).toThrow(
      /rebuilt from the inputs' numbers through item\(\), toArray\(\) or data/,
    );
    expect(() => traceGraph((w: Tensor) => w, tensor([1, 2]))).toThrow(
      "traceGraph: f returns its input w unchanged: there is no operation to draw",
    );
    expect(traceGraph((w: Tensor) => sum(mul(tensor(w, [2, 1]), 3)), tensor([1, 2])).vertices.length).toBeGreaterThan(1);
  });

  test("argnums [0, 0] gives the same gradient twice (as JAX); [1, 0, 1] keeps the order", () => {
    const f = (x: Tensor, y: Tensor): Tensor => sum(mul(mul(x, x), y));
    const x = tensor([1, 2]);
    const y = tensor([3, 5]);
    const [a, b] = grad(f, { argnums: [0, 0] })(x, y);
    expect(a.toArray()).toEqual([6, 20]);
    expect(b.toArray()).toEqual([6, 20]);
    const [gy, gx, gy2] = grad(f, { argnums: [1, 0, 1] })(x, y);
    expect(gy.toArray()).toEqual([1, 4]);
    expect(gx.toArray()).toEqual([6, 20]);
    expect(gy2.toArray()).toEqual([1, 4]);
    const [J0, J1] = jacrev((u: Tensor, v: Tensor) => mul(u, v), { argnums: [1, 1] })(x, y);
    expect(J0.toArray()).toEqual([
      [1, 0],
      [0, 2],
    ]);
    expect(J1.toArray()).toEqual(J0.toArray());
    const [F0, F1] = jacfwd((u: Tensor, v: Tensor) => mul(u, v), { argnums: [0, 0] })(x, y);
    expect(F0.toArray()).toEqual([
      [3, 0],
      [0, 5],
    ]);
    expect(F1.toArray()).toEqual(F0.toArray());
    // f = Σ x² y: ∂²f/∂x² = diag(2y)
    const [[H00, H01], [H10, H11]] = hessian(f, { argnums: [0, 0] })(x, y);
    for (const H of [H00, H01, H10, H11]) {
      expect(H.toArray()).toEqual([
        [6, 0],
        [0, 10],
      ]);
    }
  });
});
