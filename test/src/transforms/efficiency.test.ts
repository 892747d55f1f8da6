/**
 * @file What the transforms never compute, observed by a recording trace underneath them:
 * hvp never forms the Hessian, reverse mode never forms the cotangent of a constant matrix,
 * forward mode never pushes a tangent through a constant.
 */
import { describe, expect, test } from "vitest";
import { type Params, Primitive } from "../../../src/core/primitive.js";
import { bind, Trace, Tracer, withTrace } from "../../../src/core/trace.js";
import { Rng, Tensor, grad, hvp, jvp, matmul, softplus, sum } from "gradlab";

/** Records (primitive, output shape) of everything computed on values derived from its inputs. */
class ShapeRecorder extends Trace {
  readonly seen: { prim: Primitive; shape: number[] }[] = [];

  process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
    const y = bind(
      prim,
      args.map((a) => this.unbox(a)),
      params,
    );
    this.seen.push({ prim, shape: [...y.shape] });
    return new Tracer(this, y);
  }
}

/** Runs `body` on recorded copies of `inputs` (the recorder sits below every transform inside). */
function record(inputs: Tensor[], body: (...xs: Tensor[]) => unknown): ShapeRecorder["seen"] {
  return withTrace(
    (level) => new ShapeRecorder(level),
    (trace) => {
      body(...inputs.map((x) => new Tracer(trace, x)));
      return trace.seen;
    },
  );
}

const rng = new Rng(261);
const m = 3;
const n = 40;
const A = rng.randn([m, n]);
const loss = (x: Tensor): Tensor => sum(softplus(matmul(A, x)));

describe("efficiency", () => {
  test("hvp never forms an n x n matrix", () => {
    const seen = record([rng.randn([n]), rng.randn([n])], (x, v) => hvp(loss, x, v));
    expect(seen.length).toBeGreaterThan(5);
    expect(Math.max(...seen.map((s) => s.shape.reduce((p, d) => p * d, 1)))).toBeLessThan(n * n);
  });

  test("grad of sum(A x) with constant A computes no [m, n] cotangent for A", () => {
    const seen = record([rng.randn([n])], (x) => grad(loss)(x));
    expect(seen.filter((s) => s.shape.length === 2)).toEqual([]);
    expect(seen.filter((s) => s.prim === Primitive.MatMul).length).toBe(2); // A x forward, yBar A backward
  });

  test("jvp of A x with constant A does one matmul for the primal and one for A xDot", () => {
    const seen = record([rng.randn([n]), rng.randn([n])], (x, v) => jvp((t) => matmul(A, t), [x], [v]));
    expect(seen.map((s) => s.prim)).toEqual([Primitive.MatMul, Primitive.MatMul]);
  });
});
