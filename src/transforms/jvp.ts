/**
 * @file Forward mode (seminar items 9-10): a JVP trace of dual numbers (primal, tangent) with
 * SYMBOLIC ZERO tangents: values that do not depend on the input carry no tangent at all, so
 * e.g. the tangent of A x with a constant A is A xDot only.
 */
import type { Params, Primitive } from "../core/primitive.js";
import { noteTransform } from "../core/byhand.js";
import { bind, Trace, Tracer, withTrace } from "../core/trace.js";
import { primitives } from "../primitives/index.js";
import { asTensor, zeros, type TensorLike } from "../tensor/create.js";
import { sameShape, shapeStr } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";

/**
 * A dual number at one JVP level: the primal value and its tangents, one per pushed-forward
 * direction (usually one; `jacfwd` pushes several through one primal evaluation). A `null`
 * entry is a symbolic zero; a tracer has at least one non-null tangent.
 * @example const [, t] = jvp((x) => sin(x), [0], [1]); // inside, x is a JVPTracer
 */
export class JVPTracer extends Tracer<JVPTrace> {
  /** du/dx along each direction (`null` = exactly zero, never materialised). */
  readonly tangents: readonly (Tensor | null)[];

  /** @example new JVPTracer(trace, x, [xDot]) */
  constructor(trace: JVPTrace, primal: Tensor, tangents: readonly (Tensor | null)[]) {
    super(trace, primal);
    this.tangents = tangents;
  }
}

/**
 * The JVP interpreter: evaluates one level down, then applies the primitive's jvp rule per direction.
 * @example withTrace((level) => new JVPTrace(level, 1), (trace) => f(new JVPTracer(trace, x, [v])))
 */
export class JVPTrace extends Trace {
  /** Number of directions pushed forward together. */
  readonly width: number;

  /** @example new JVPTrace(level, 1) */
  constructor(level: number, width = 1) {
    super(level);
    this.width = width;
  }

  process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
    const n = args.length;
    const primals = new Array<Tensor>(n);
    for (let i = 0; i < n; i++) primals[i] = this.unbox(args[i]);
    const rule = primitives[prim];
    if (this.width === 1 && rule.implJvp) {
      const fused = this.fused(rule.implJvp, args, primals, params);
      if (fused) return new JVPTracer(this, fused[0], [fused[1]]);
    }
    const y = bind(prim, primals, params);
    const outs = new Array<Tensor | null>(this.width);
    let any = false;
    // Several directions: share the rule's direction-independent work when it offers to.
    let apply: ((dots: readonly (Tensor | null)[]) => Tensor | null) | null = null;
    if (this.width > 1 && rule.linearize) apply = rule.linearize(primals, params, y);
    for (let k = 0; k < this.width; k++) {
      // Note: constants (and tracers of other levels) get a symbolic zero, not zeros(shape).
      const dots = new Array<Tensor | null>(n);
      let some = false;
      for (let i = 0; i < n; i++) {
        const a = args[i];
        const d = this.owns(a) ? (a as JVPTracer).tangents[k] : null;
        dots[i] = d;
        if (d !== null) some = true;
      }
      const t = !some ? null : apply !== null ? apply(dots) : rule.jvp(primals, dots, params, y);
      if (t !== null && !sameShape(t.shape, y.shape)) {
        throw new GradlabError(`jvp: rule of ${prim} returned a tangent of shape ${shapeStr(t.shape)}, expected ${shapeStr(y.shape)}`);
      }
      outs[k] = t;
      if (t !== null) any = true;
    }
    return any ? new JVPTracer(this, y, outs) : y;
  }

  /** The rule's fused primal and tangent, when every primal and tangent is concrete. */
  private fused<P extends Primitive>(
    implJvp: NonNullable<(typeof primitives)[P]["implJvp"]>,
    args: readonly Tensor[],
    primals: readonly Tensor[],
    params: Params[P],
  ): [Tensor, Tensor] | undefined {
    const dots = new Array<Tensor | null>(args.length);
    for (let i = 0; i < args.length; i++) {
      if (primals[i].level !== 0) return undefined;
      const d = this.owns(args[i]) ? (args[i] as JVPTracer).tangents[0] : null;
      if (d !== null && d.level !== 0) return undefined;
      dots[i] = d;
    }
    return implJvp(primals, dots, params);
  }
}

/**
 * Pushes several tangent directions forward through ONE evaluation of `f` at `x` (the primal
 * is computed once): returns `[f(x), [J v_1, ..., J v_k]]`. Used by `jacfwd`.
 * @example pushforward((x) => mul(x, x), tensor([1, 2]), [tensor([1, 0]), tensor([0, 1])])
 */
export function pushforward(f: (x: Tensor) => TensorLike, x: Tensor, directions: readonly Tensor[]): [Tensor, Tensor[]] {
  return withTrace(
    (level) => new JVPTrace(level, directions.length),
    (trace) => {
      const out = asTensor(f(new JVPTracer(trace, x, directions)), "jvp");
      if (!trace.owns(out)) return [out, directions.map(() => zeros(out.shape))];
      const ts = (out as JVPTracer).tangents;
      return [out.primal, ts.map((t) => t ?? zeros(out.shape))];
    },
  );
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
  noteTransform("jvp");
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new GradlabError("jvp: expected arrays of primals and tangents, e.g. jvp(f, [x], [v])");
  }
  if (primals.length !== tangents.length) {
    throw new GradlabError(`jvp: expected as many tangents as primals, got ${tangents.length} tangents for ${primals.length} primals`);
  }
  const xs = primals.map((x) => asTensor(x, "jvp"));
  const ts = tangents.map((x) => asTensor(x, "jvp"));
  xs.forEach((x, i) => {
    if (!sameShape(x.shape, ts[i].shape)) {
      throw new GradlabError(`jvp: tangent ${i} has shape ${shapeStr(ts[i].shape)}, expected ${shapeStr(x.shape)} (its primal's shape)`);
    }
  });
  return withTrace(
    (level) => new JVPTrace(level),
    (trace) => {
      const out = asTensor(f(...xs.map((x, i) => new JVPTracer(trace, x, [ts[i]]))), "jvp");
      if (trace.owns(out)) return [out.primal, (out as JVPTracer).tangents[0] ?? zeros(out.shape)];
      // The output does not depend on the inputs at this level: zero tangent.
      return [out, zeros(out.shape)];
    },
  );
}
