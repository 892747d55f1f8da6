/**
 * @file Forward mode (seminar items 9-10): a JVP trace of dual numbers (primal, tangent) with
 * SYMBOLIC ZERO tangents: values that do not depend on the input carry no tangent at all, so
 * e.g. the tangent of A x with a constant A is A xDot only.
 */
import type { Params, Primitive } from "../core/primitive.js";
import { bind, Trace, Tracer, withTrace } from "../core/trace.js";
import { primitives } from "../primitives/index.js";
import { asTensor, zeros, type TensorLike } from "../tensor/create.js";
import { sameShape, shapeStr } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";

/** A dual number at one JVP level: the primal value and its (never zero-filled) tangent. */
export class JVPTracer extends Tracer<JVPTrace> {
  /** du/dx along the pushed-forward direction. */
  readonly tangent: Tensor;

  /** @example new JVPTracer(trace, x, xDot) */
  constructor(trace: JVPTrace, primal: Tensor, tangent: Tensor) {
    super(trace, primal);
    this.tangent = tangent;
  }
}

/** The JVP interpreter: evaluates one level down, then applies the primitive's jvp rule. */
export class JVPTrace extends Trace {
  process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
    const n = args.length;
    const primals = new Array<Tensor>(n);
    const tangents = new Array<Tensor | null>(n);
    for (let i = 0; i < n; i++) {
      const a = args[i];
      if (this.owns(a)) {
        primals[i] = a.primal;
        tangents[i] = (a as JVPTracer).tangent;
      } else {
        // Note: constants (and tracers of other levels) get a symbolic zero, not zeros(shape).
        primals[i] = a;
        tangents[i] = null;
      }
    }
    const y = bind(prim, primals, params);
    const t = primitives[prim].jvp(primals, tangents, params, y);
    if (t === null) return y;
    if (!sameShape(t.shape, y.shape)) {
      throw new Error(`jvp: rule of ${prim} returned a tangent of shape ${shapeStr(t.shape)}, expected ${shapeStr(y.shape)}`);
    }
    return new JVPTracer(this, y, t);
  }
}

/**
 * Forward-mode derivative: evaluates `f(...primals)` and its directional derivative
 * J_f(primals) · tangents in one pass. Returns `[out, tangentOut]`.
 * @example
 * const [y, yDot] = jvp((x) => sin(x), [0], [1]); // y = 0, yDot = cos(0) = 1
 */
export function jvp(
  f: (...args: Tensor[]) => TensorLike,
  primals: readonly TensorLike[],
  tangents: readonly TensorLike[],
): [Tensor, Tensor] {
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new Error("jvp: expected arrays of primals and tangents, e.g. jvp(f, [x], [v])");
  }
  if (primals.length !== tangents.length) {
    throw new Error(`jvp: expected as many tangents as primals, got ${tangents.length} tangents for ${primals.length} primals`);
  }
  const xs = primals.map(asTensor);
  const ts = tangents.map(asTensor);
  xs.forEach((x, i) => {
    if (!sameShape(x.shape, ts[i].shape)) {
      throw new Error(`jvp: tangent ${i} has shape ${shapeStr(ts[i].shape)}, expected ${shapeStr(x.shape)} (its primal's shape)`);
    }
  });
  return withTrace(
    (level) => new JVPTrace(level),
    (trace) => {
      const out = asTensor(f(...xs.map((x, i) => new JVPTracer(trace, x, ts[i]))));
      if (trace.owns(out)) return [out.primal, (out as JVPTracer).tangent];
      // The output does not depend on the inputs at this level: zero tangent.
      return [out, zeros(out.shape)];
    },
  );
}
