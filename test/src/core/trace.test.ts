/** @file The trace API: a new trace kind defined outside src/core, levels, dispatch, stale tracers. */
import { describe, expect, test } from "vitest";
import { NO_PARAMS, Primitive, type Params } from "../../../src/core/primitive.js";
import { bind, currentLevel, Trace, Tracer, withTrace } from "../../../src/core/trace.js";
import { primitives } from "../../../src/primitives/index.js";
import { Tensor, add, exp, grad, mul, tensor } from "gradlab";

/** A recording trace, as the graph recorder (src/graph/) defines one outside src/core. */
class RecordTrace extends Trace {
  readonly seen: { prim: Primitive; shapes: number[][]; out: number[] }[] = [];

  process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
    const primals = args.map((a) => this.unbox(a));
    const y = bind(prim, primals, params);
    this.seen.push({ prim, shapes: primals.map((p) => [...p.shape]), out: Array.from(y.data) });
    return new Tracer(this, y);
  }
}

describe("trace API", () => {
  test("a trace defined outside core sees every primitive application with values", () => {
    const seen = withTrace(
      (level) => new RecordTrace(level),
      (trace) => {
        const x = new Tracer(trace, tensor([0, 1]));
        const y = add(exp(x), 1);
        expect(y).toBeInstanceOf(Tensor);
        expect(y.toArray()).toEqual([2, 1 + Math.E]); // a tracer's entries are its concrete values
        return trace.seen;
      },
    );
    expect(seen.map((s) => s.prim)).toEqual([Primitive.Exp, Primitive.Add]);
    expect(seen[1].shapes).toEqual([[2], []]);
    expect(seen[1].out).toEqual([2, 1 + Math.E]);
  });

  test("the primitive table exposes impl, jvp and vjp rules to any trace", () => {
    const x = tensor(0.5);
    const y = primitives[Primitive.Exp].impl([x], NO_PARAMS);
    expect(y.item()).toBeCloseTo(Math.exp(0.5), 15);
    expect(primitives[Primitive.Exp].jvp([x], [tensor(2)], NO_PARAMS, y)!.item()).toBeCloseTo(2 * Math.exp(0.5), 15);
    expect(primitives[Primitive.Mul].vjp(tensor(1), [tensor(2), tensor(3)], tensor(6), NO_PARAMS, [false, true])).toEqual([
      null,
      expect.any(Tensor),
    ]);
  });

  test("levels nest and unwind (also after an error); bind evaluates concrete arguments directly", () => {
    expect(currentLevel()).toBe(0);
    withTrace(
      (l) => new RecordTrace(l),
      () => {
        expect(currentLevel()).toBe(1);
        expect(() =>
          withTrace(
            (l) => new RecordTrace(l),
            () => {
              expect(currentLevel()).toBe(2);
              throw new Error("boom");
            },
          ),
        ).toThrow("boom");
        expect(currentLevel()).toBe(1);
      },
    );
    expect(currentLevel()).toBe(0);
    expect(bind(Primitive.Mul, [tensor(2), tensor(3)], NO_PARAMS).item()).toBe(6);
    expect(() =>
      withTrace(
        (l) => new RecordTrace(l + 1),
        () => 0,
      ),
    ).toThrow("withTrace: expected a trace at level 1, got level 2");
  });

  test("a recording trace inside grad records the inner evaluation while grad differentiates through it", () => {
    let prims: Primitive[] = [];
    const g = grad((x) =>
      withTrace(
        (level) => new RecordTrace(level),
        (trace) => {
          const y = mul(new Tracer(trace, x), x);
          prims = trace.seen.map((s) => s.prim);
          return trace.unbox(y);
        },
      ),
    )(3);
    expect(prims).toEqual([Primitive.Mul]);
    expect(g.item()).toBe(6);
  });
});
