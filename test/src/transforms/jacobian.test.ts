/** @file `jacfwd` / `jacrev`: agreement, closed forms, output x input shapes, chunked directions. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, jacfwd, jacrev, matmul, mul, sin, tanh, tensor, transpose } from "gradlab";

const rng = new Rng(231);

describe("jacobians", () => {
  test("tanh(W x): both modes equal diag(1 - y^2) W, for n >> m and n << m", () => {
    for (const [m, n] of [
      [3, 70],
      [70, 3],
    ]) {
      const W = rng.randn([m, n]);
      const x = rng.randn([n]);
      const f = (t: Tensor): Tensor => tanh(matmul(W, t));
      const y = f(x);
      const expected = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => (1 - y.data[i] ** 2) * W.data[i * n + j]));
      expect(jacfwd(f)(x)).toBeAllclose(expected, { rtol: 1e-12, atol: 1e-14 });
      expect(jacrev(f)(x)).toBeAllclose(expected, { rtol: 1e-12, atol: 1e-14 });
    }
  });

  test("shape is [...out.shape, ...x.shape] for matrix inputs and outputs", () => {
    const X = rng.randn([2, 3]);
    const f = (t: Tensor): Tensor => transpose(sin(t));
    const Jf = jacfwd(f)(X);
    const Jr = jacrev(f)(X);
    expect(Jf.shape).toEqual([3, 2, 2, 3]);
    expect(Jr).toBeAllclose(Jf, { rtol: 1e-14, atol: 0 });
    // d(sin X)^T_{ij} / dX_{kl} = cos(X_{ji}) [i = l][j = k]
    expect(Jf.data[((1 * 2 + 0) * 2 + 0) * 3 + 1]).toBeCloseTo(Math.cos(X.data[1]), 14);
  });

  test("scalar functions: jacobians are gradients; scalar inputs give output-shaped jacobians", () => {
    expect(jacfwd((t) => mul(t, t))(tensor(3)).item()).toBe(6);
    expect(jacrev((t) => mul(t, tensor([1, 2])))(tensor(3)).toArray()).toEqual([1, 2]);
  });

  test("argnums: the Jacobian of A x in x is A, in A it is delta_ip x_q; other arguments are held fixed", () => {
    const A = rng.randn([3, 4]);
    const x = rng.randn([4]);
    const f = (M: Tensor, v: Tensor): Tensor => matmul(M, v);
    const dA = new Float64Array(3 * 3 * 4);
    for (let i = 0; i < 3; i++) for (let q = 0; q < 4; q++) dA[(i * 3 + i) * 4 + q] = x.data[q]!;
    const expectedA = new Tensor(dA, [3, 3, 4]);
    for (const jac of [jacfwd, jacrev]) {
      expect(jac(f, { argnums: 1 })(A, x)).toBeAllclose(A, { rtol: 1e-13, atol: 1e-15 });
      expect(jac(f)(A, x)).toBeAllclose(expectedA, { rtol: 1e-13, atol: 1e-15 });
      const [jA, jx] = jac(f, { argnums: [0, 1] })(A, x);
      expect(jA).toBeAllclose(expectedA, { rtol: 1e-13, atol: 1e-15 });
      expect(jx).toBeAllclose(A, { rtol: 1e-13, atol: 1e-15 });
      expect(() => jac(f, { argnums: 2 })(A, x)).toThrow(/^jac(fwd|rev): argnums 2 out of range for 2 argument\(s\)$/);
    }
    // The second argument reaches f (it used to be dropped): d(x * y)/dx = diag(y).
    const y = tensor([2, 3]);
    expect(jacfwd((u: Tensor, w: Tensor) => mul(u, w))(tensor([1, 1]), y).toArray()).toEqual([
      [2, 0],
      [0, 3],
    ]);
  });
});
