/** @file `grad` / `valueAndGrad`: values, argnums, every route agrees, scalar-output errors. */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, add, dot, exp, grad, jacrev, jvp, log1p, matmul, mul, sin, sum, tensor, valueAndGrad, vjp } from "gradlab";

const rng = new Rng(201);
const A = rng.randn([4, 3]);
/** A scalar function with fan-out and broadcasting: sum(log(1 + e^{A x})) + <x, x> sin(x_0 ...). */
const f = (x: Tensor): Tensor => add(sum(log1p(exp(matmul(A, x)))), mul(dot(x, x), sum(sin(x))));

describe("grad", () => {
  test("closed form: d/dx sin(x) = cos(x); d/dx x^2 = 2x at several points", () => {
    for (const v of [-1.3, 0, 0.7, 2]) {
      expect(grad((x) => sin(x))(v).item()).toBeCloseTo(Math.cos(v), 14);
      expect(grad((x) => mul(x, x))(v).item()).toBeCloseTo(2 * v, 14);
    }
  });

  test("every route agrees: grad, vjp with 1, the row of jacrev, jvp on each basis vector", () => {
    const x = rng.randn([3]);
    const g = grad(f)(x);
    const [, pullback] = vjp(f, x);
    expect(pullback(1)[0]).toBeAllclose(g, { rtol: 1e-13, atol: 1e-14 });
    expect(jacrev(f)(x)).toBeAllclose(g, { rtol: 1e-13, atol: 1e-14 });
    const byJvp = [0, 1, 2].map((j) => jvp(f, [x], [tensor([0, 1, 2].map((k) => (k === j ? 1 : 0)))])[1].item());
    expect(byJvp).toBeAllclose(g, { rtol: 1e-12, atol: 1e-14 });
  });

  test("argnums: one index gives one gradient, an array gives an array; other args are constants", () => {
    const h = (x: Tensor, y: Tensor, z: Tensor): Tensor => sum(mul(mul(x, y), z));
    const [x, y, z] = [tensor([1, 2]), tensor([3, 4]), tensor([5, 6])];
    expect(grad(h, { argnums: 1 })(x, y, z).toArray()).toEqual([5, 12]);
    const [gx, gz] = grad(h, { argnums: [0, 2] })(x, y, z);
    expect(gx.toArray()).toEqual([15, 24]);
    expect(gz.toArray()).toEqual([3, 8]);
  });

  test("valueAndGrad returns the value of the same forward pass", () => {
    const x = rng.randn([3]);
    const [v, g] = valueAndGrad(f)(x);
    expect(v).toBeAllclose(f(x), { rtol: 0, atol: 0 });
    expect(g).toBeAllclose(grad(f)(x), { rtol: 0, atol: 0 });
  });

  test("the gradient of a function that ignores its input is zeros of the input's shape", () => {
    expect(grad(() => tensor(3))(tensor([[1, 2]])).toArray()).toEqual([[0, 0]]);
  });

  test("non-scalar output and bad argnums are clear errors", () => {
    expect(() => grad((x) => mul(x, 2))(tensor([1, 2, 3]))).toThrow("grad: f must return a scalar, got shape [3]");
    expect(() => grad((x) => x, { argnums: 1 })(tensor(1))).toThrow("grad: argnums 1 out of range for 1 argument(s)");
  });
});
