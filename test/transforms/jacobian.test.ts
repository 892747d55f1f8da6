/** @file `jacfwd` / `jacrev`: agreement, closed forms, output x input shapes, chunked directions. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, jacfwd, jacrev, matmul, mul, sin, tanh, tensor, transpose } from "gradlab";

const rng = new Rng(231);

describe("jacobians", () => {
  test("tanh(W x): both modes equal diag(1 - y^2) W, for n >> m and n << m", () => {
    for (const [m, n] of [[3, 70], [70, 3]]) {
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
});
