/**
 * @file micrograd's "tangled expression" test, tensor edition: many ops, fan-out, broadcasting;
 * every input's gradient against central differences, and the Hessian against differences of
 * the gradient.
 */
import { describe, expect, test } from "vitest";
import {
  Rng,
  Tensor,
  abs,
  add,
  cos,
  div,
  exp,
  grad,
  hessian,
  log1p,
  matmul,
  max,
  maximum,
  mean,
  mul,
  norm,
  pow,
  sigmoid,
  sin,
  softplus,
  sqrt,
  square,
  sub,
  sum,
  tanh,
  transpose,
} from "gradlab";
import { centralDiff } from "../primitives/check.js";

const rng = new Rng(271);
const W = rng.randn([3, 4]);

/** A tangled scalar function of a matrix X [4, 2] and a vector b [3]. */
function tangled(X: Tensor, b: Tensor): Tensor {
  const H = tanh(add(matmul(W, X), transpose(mul(b, 0.5)).reshape([3, 1]))); // [3, 2]
  const s = sigmoid(sub(H, mean(H, 0, true))); // fan-out of H
  const r = div(softplus(mul(s, 3)), add(1, square(H)));
  const z = add(sum(mul(r, log1p(abs(H)))), pow(norm(X), 1.5));
  const m = max(maximum(sin(X), cos(X)));
  return add(mul(z, exp(mul(m, 0.2))), sqrt(add(sum(square(b)), 1)));
}

describe("tangled expression", () => {
  test("gradients w.r.t. both inputs match central differences", () => {
    const X = rng.randn([4, 2]);
    const b = rng.randn([3]);
    const [gX, gb] = grad(tangled, { argnums: [0, 1] })(X, b);
    for (let i = 0; i < X.size; i++) {
      const e = new Tensor(
        new Float64Array(X.size).map((_, k) => (k === i ? 1 : 0)),
        X.shape,
      );
      const fd = centralDiff((x) => tangled(x, b), [X], [e])[0];
      expect(gX.data[i]).toBeAllclose(fd, { rtol: 1e-6, atol: 1e-8 });
    }
    for (let i = 0; i < b.size; i++) {
      const e = new Tensor(
        new Float64Array(b.size).map((_, k) => (k === i ? 1 : 0)),
        b.shape,
      );
      const fd = centralDiff((v) => tangled(X, v), [b], [e])[0];
      expect(gb.data[i]).toBeAllclose(fd, { rtol: 1e-6, atol: 1e-8 });
    }
  });

  test("the Hessian w.r.t. b matches central differences of the gradient and is symmetric", () => {
    const X = rng.randn([4, 2]);
    const b = rng.randn([3]);
    const f = (v: Tensor): Tensor => tangled(X, v);
    const H = hessian(f)(b);
    const g = (v: Tensor): Tensor => grad(f)(v);
    for (let j = 0; j < 3; j++) {
      const e = new Tensor(
        new Float64Array(3).map((_, k) => (k === j ? 1 : 0)),
        [3],
      );
      const column = centralDiff(g, [b], [e]);
      expect([0, 1, 2].map((i) => H.data[i * 3 + j])).toBeAllclose(column, { rtol: 1e-5, atol: 1e-7 });
    }
    expect(H).toBeAllclose(transpose(H), { rtol: 1e-12, atol: 1e-14 });
  });
});
