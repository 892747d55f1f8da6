/**
 * @file `jacrev` pulls its cotangents back in blocks of up to 64 per backward pass: every row
 * must be exactly the number a separate pullback gives (the same ops on the same numbers), and
 * agree with `jacfwd` and with central differences, on many shapes and under nesting.
 */
import { describe, expect, test } from "vitest";
import {
  Rng,
  Tensor,
  abs,
  add,
  cos,
  eye,
  div,
  exp,
  grad,
  hessian,
  inv,
  jacfwd,
  jacrev,
  log1p,
  logdet,
  matmul,
  maximum,
  mean,
  mul,
  reshape,
  sigmoid,
  sin,
  softplus,
  sqrt,
  square,
  stack,
  sub,
  sum,
  tanh,
  tensor,
  transpose,
  vjp,
} from "gradlab";

const rng = new Rng(4711);

/** The Jacobian row by row from separate pullbacks (one backward pass per output entry). */
function rowByRow(f: (x: Tensor) => Tensor, x: Tensor): number[] {
  const [y, pullback] = vjp(f, x);
  const out: number[] = [];
  for (let i = 0; i < y.size; i++) {
    const e = new Float64Array(y.size);
    e[i] = 1;
    out.push(...pullback(new Tensor(e, y.shape))[0]!.data);
  }
  return out;
}

/** Central differences, column by column, laid out as [...out, ...in]. */
function finiteDiff(f: (x: Tensor) => Tensor, x: Tensor, h = 1e-6): number[] {
  const m = f(x).size;
  const J = new Array<number>(m * x.size).fill(0);
  for (let j = 0; j < x.size; j++) {
    const plus = Float64Array.from(x.data);
    const minus = Float64Array.from(x.data);
    plus[j] += h;
    minus[j] -= h;
    const fp = f(new Tensor(plus, x.shape)).data;
    const fm = f(new Tensor(minus, x.shape)).data;
    for (let i = 0; i < m; i++) J[i * x.size + j] = (fp[i]! - fm[i]!) / (2 * h);
  }
  return J;
}

/** Entries equal as numbers (=== also takes 0 and -0 as equal); the first mismatch, if any. */
function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  for (let i = 0; i < got.length; i++) if (!(got[i] === want[i])) return `entry ${i}: ${got[i]} vs ${want[i]}`;
  return null;
}

/** A map R^n -> R^m through many primitives: elementwise, broadcasting, reductions, matmul, stack. */
function mixed(n: number, m: number): (x: Tensor) => Tensor {
  const W = rng.randn([m, n]);
  const c = rng.randn([m]);
  return (x) => {
    const h = add(mul(0.5, tanh(x)), div(sin(x), add(2, cos(x))));
    const z = matmul(W, add(h, mul(sigmoid(x), sqrt(add(1, square(x))))));
    const r = add(mul(z, exp(mul(0.1, c))), mul(softplus(z), sum(abs(x))));
    return sub(maximum(r, mul(0.3, r)), mul(log1p(square(z)), mean(h)));
  };
}

describe("jacrev in blocks of cotangents", () => {
  test("every row equals a separate pullback's, for m = 1, n = 1, m below, at and across the block size", () => {
    for (const [n, m] of [
      [5, 1],
      [1, 7],
      [1, 1],
      [9, 63],
      [4, 64],
      [6, 65],
      [3, 130],
      [70, 129],
    ]) {
      const f = mixed(n, m);
      const x = rng.randn([n]);
      const J = jacrev(f)(x);
      expect(J.shape).toEqual([m, n]);
      expect(firstMismatch(J.data, rowByRow(f, x))).toBeNull();
      expect(J).toBeAllclose(jacfwd(f)(x), { rtol: 1e-12, atol: 1e-13 });
      expect(J).toBeAllclose(new Tensor(Float64Array.from(finiteDiff(f, x)), [m, n]), { rtol: 1e-6, atol: 1e-7 });
    }
  });

  test("matrix inputs and outputs, linear algebra, stack and several argnums", () => {
    const X = rng.randn([4, 4]);
    const spd = (M: Tensor): Tensor => add(matmul(M, transpose(M)), mul(4, eye(4)));
    const f = (M: Tensor): Tensor => {
      const S = spd(M);
      return stack([reshape(inv(S), [16]), reshape(mul(logdet(S), M), [16]), reshape(transpose(S), [16])]);
    };
    const J = jacrev(f)(X);
    expect(J.shape).toEqual([3, 16, 4, 4]);
    expect(firstMismatch(J.data, rowByRow(f, X))).toBeNull();
    expect(J).toBeAllclose(jacfwd(f)(X), { rtol: 1e-10, atol: 1e-12 });
    expect(J).toBeAllclose(new Tensor(Float64Array.from(finiteDiff(f, X)), [3, 16, 4, 4]), { rtol: 1e-6, atol: 1e-7 });

    const g = (P: Tensor, v: Tensor): Tensor => tanh(add(matmul(P, v), matmul(transpose(P), v)));
    const v = rng.randn([4]);
    const [jP, jv] = jacrev(g, { argnums: [0, 1] })(X, v);
    const [fP, fv] = jacfwd(g, { argnums: [0, 1] })(X, v);
    expect(jP).toBeAllclose(fP, { rtol: 1e-12, atol: 1e-14 });
    expect(jv).toBeAllclose(fv, { rtol: 1e-12, atol: 1e-14 });
    expect(
      firstMismatch(
        jv.data,
        rowByRow((t) => g(X, t), v),
      ),
    ).toBeNull();
    expect(
      firstMismatch(
        jP.data,
        rowByRow((t) => g(t, v), X),
      ),
    ).toBeNull();
  });

  test("nested: jacfwd(jacrev f), jacrev(jacrev f) and jacrev(grad f) are the Hessian", () => {
    const n = 70; // more than one block of cotangents in the inner and the outer jacrev
    const b = rng.randn([n]);
    const f = (x: Tensor): Tensor => add(sum(mul(b, softplus(x))), mul(0.25, sum(square(square(x)))));
    const x = rng.randn([n]);
    // The closed form: diag(b σ(x)(1 - σ(x)) + 3 x^2).
    const s = sigmoid(x).data;
    const H = new Float64Array(n * n);
    for (let i = 0; i < n; i++) H[i * n + i] = b.data[i]! * s[i]! * (1 - s[i]!) + 3 * x.data[i]! ** 2;
    const want = new Tensor(H, [n, n]);
    const scalar = (t: Tensor): Tensor => reshape(f(t), [1]);
    for (const got of [
      jacfwd(jacrev(f))(x),
      jacrev(jacrev(f))(x),
      jacrev(grad(f))(x),
      hessian(f)(x),
      reshape(jacrev(jacrev(scalar))(x), [n, n]),
    ]) {
      expect(got).toBeAllclose(want, { rtol: 1e-12, atol: 1e-13 });
    }
    expect(firstMismatch(jacrev(grad(f))(x).data, rowByRow(grad(f), x))).toBeNull();
  });

  test("under an outer reverse pass: grad of a sum of jacrev's entries equals it for jacfwd", () => {
    const n = 5;
    const m = 70; // two blocks of cotangents
    const W = rng.randn([m, n]);
    const f = (x: Tensor): Tensor => tanh(matmul(W, mul(x, x)));
    const x = rng.randn([n]);
    const viaRev = grad((t: Tensor) => sum(jacrev(f)(t)))(x);
    const viaFwd = grad((t: Tensor) => sum(jacfwd(f)(t)))(x);
    expect(viaRev).toBeAllclose(viaFwd, { rtol: 1e-12, atol: 1e-13 });
    const h = 1e-5;
    const fd = Array.from({ length: n }, (_, i) => {
      const e = new Float64Array(n);
      e[i] = h;
      const plus = sum(jacrev(f)(add(x, new Tensor(e, [n])))).item();
      const minus = sum(jacrev(f)(sub(x, new Tensor(e, [n])))).item();
      return (plus - minus) / (2 * h);
    });
    expect(viaRev).toBeAllclose(fd, { rtol: 1e-6, atol: 1e-7 });
  });

  test("an output that does not depend on the input gives zero rows", () => {
    const f = (x: Tensor): Tensor => add(mul(0, sum(x)), tensor([1, 2, 3]));
    expect(jacrev(f)(rng.randn([2])).toArray()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    const g = (x: Tensor): Tensor => stack([x, tensor([5, 6])]);
    expect(jacrev(g)(tensor([1, 2])).toArray()).toEqual([
      [
        [1, 0],
        [0, 1],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ]);
  });
});
