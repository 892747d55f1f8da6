/**
 * @file Reverse mode (seminar items 4-7): a tape trace records every primitive application
 * (inputs, output, params) in execution order, which is a topological order; the pullback walks
 * the tape backwards, asks each primitive's vjp rule for the cotangents its inputs need, and
 * sums them where a value fans out (micrograd's `+=`).
 */
import type { Params, Primitive } from "../core/primitive.js";
import { noteTransform } from "../core/byhand.js";
import { bind, Trace, Tracer, withTrace } from "../core/trace.js";
import { add } from "../ops/arith.js";
import { primitives } from "../primitives/index.js";
import { asTensor, zeros, type TensorLike } from "../tensor/create.js";
import { sameShape, shapeStr } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * A value recorded on a tape. The tracer IS the tape node (one object per primitive
 * application keeps reverse mode's memory and GC cost low): it stores the primitive, its
 * params and its arguments (this trace's tracers or constants); inputs have `prim === null`.
 * @example
 * const [, pullback] = vjp((x) => exp(x), 1); // inside, x is a TapeTracer with id 0
 */
export class TapeTracer extends Tracer<TapeTrace> {
  /** Vertex number u_id (inputs first, then one per recorded primitive, in execution order). */
  readonly id: number;
  /** The primitive that produced this value, `null` for a differentiated input. */
  readonly prim: Primitive | null;
  /** Its parameters. */
  readonly params: Params[Primitive] | null;
  /** The node recorded just before this one on the same tape (`null` for the first / inputs). */
  readonly prev: TapeTracer | null;
  // Arguments: unary/binary applications keep them in two fields (no retained array: reverse
  // mode stores every node, so each retained object costs GC time, W4); others keep an array.
  private readonly a0: Tensor | null;
  private readonly a1: Tensor | null;
  private readonly rest: readonly Tensor[] | null;

  /** @example new TapeTracer(trace, y, 3, Primitive.Exp, NO_PARAMS, [x]) */
  constructor(
    trace: TapeTrace,
    primal: Tensor,
    id: number,
    prim: Primitive | null = null,
    params: Params[Primitive] | null = null,
    args: readonly Tensor[] | null = null,
    prev: TapeTracer | null = null,
  ) {
    super(trace, primal);
    this.id = id;
    this.prim = prim;
    this.params = params;
    this.prev = prev;
    const n = args === null ? 0 : args.length;
    this.a0 = n >= 1 && n <= 2 ? args![0] : null;
    this.a1 = n === 2 ? args![1] : null;
    this.rest = n > 2 ? args : null;
  }

  /** Number of arguments as passed to `bind` (0 for an input). */
  get arity(): number {
    return this.rest !== null ? this.rest.length : this.a0 === null ? 0 : this.a1 === null ? 1 : 2;
  }

  /** Argument i as passed to `bind`: this trace's tracer or a constant. */
  arg(i: number): Tensor {
    return (this.rest !== null ? this.rest[i] : i === 0 ? this.a0 : this.a1)!;
  }
}

/** Shared, never-mutated `wants` arrays for unary and binary nodes, indexed by a bit mask. */
const WANTS: readonly (readonly boolean[])[][] = [
  [[]],
  [[false], [true]],
  [[false, false], [true, false], [false, true], [true, true]],
];

/**
 * The reverse-mode interpreter: evaluates one level down and appends a node to the tape.
 * @example withTrace((level) => new TapeTrace(level), (trace) => trace.backward(f(trace.input(x)), yBar, [...]))
 */
export class TapeTrace extends Trace {
  /**
   * The last recorded application; each node links to the one recorded before it, so the tape
   * is seminar item 5's u_1..u_m in execution (topological) order, walked from the end.
   * Note: a linked list rather than an array: an old array full of pointers to young nodes
   * makes every minor GC rescan it, which dominated long scalar chains (W4).
   */
  last: TapeTracer | null = null;
  private count = 0;

  /** Starts a new differentiated input. @example const x = trace.input(tensor(1)) */
  input(x: Tensor): TapeTracer {
    return new TapeTracer(this, x, this.count++);
  }

  process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
    const y = this.concrete(args) ? primitives[prim].impl(args, params) : bind(prim, args.map((a) => this.unbox(a)), params);
    const node = new TapeTracer(this, y, this.count++, prim, params as Params[Primitive], args, this.last);
    this.last = node;
    return node;
  }

  /**
   * True when every argument is a concrete tensor or this trace's tracer over a concrete value:
   * then the kernel can run on the arguments themselves (tracers carry their entries), with no
   * re-boxed primals and no second dispatch. Kernels only read entries and shapes.
   */
  private concrete(args: readonly Tensor[]): boolean {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a.level !== 0 && (!this.owns(a) || a._lower !== null)) return false;
    }
    return true;
  }

  /**
   * Adjoints of `inputs` for the output cotangent `yBar` (seminar item 5: ū_m = yBar, then
   * ū_i = Σ_children ū_j ∂u_j/∂u_i for i = m-1..1). Can run any number of times, and only
   * after the trace has ended (`vjp` returns the pullback once `f` has returned).
   */
  backward(out: Tensor, yBar: Tensor, inputs: readonly TapeTracer[]): Tensor[] {
    if (!this.owns(out)) return inputs.map((x) => zeros(x.shape));
    const bars = new Array<Tensor | null>(this.count).fill(null);
    bars[(out as TapeTracer).id] = yBar;
    for (let node = this.last; node !== null; node = node.prev) {
      const g = bars[node.id];
      if (g === null) continue;
      bars[node.id] = null;
      const n = node.arity;
      const primals = new Array<Tensor>(n);
      let mask = 0;
      for (let i = 0; i < n; i++) {
        const a = node.arg(i);
        const own = this.owns(a);
        // Note: a finished tracer over a concrete value stands for that value (see bindStale),
        // so it is passed as is instead of re-boxing its primal.
        primals[i] = own ? ((a as TapeTracer)._lower ?? a) : a;
        if (own) mask |= 1 << i;
      }
      const wants = n <= 2 ? WANTS[n][mask] : primals.map((_, i) => (mask & (1 << i)) !== 0);
      const rule = primitives[node.prim!] as (typeof primitives)[Primitive];
      const cts = rule.vjp(g, primals, node._lower ?? node, node.params as never, wants);
      for (let i = 0; i < n; i++) {
        const ct = cts[i];
        if (!wants[i] || ct === null) continue;
        if (!sameShape(ct.shape, primals[i].shape)) {
          throw new Error(
            `vjp: rule of ${node.prim} returned a cotangent of shape ${shapeStr(ct.shape)} for an input of shape ${shapeStr(primals[i].shape)}`,
          );
        }
        const id = (node.arg(i) as TapeTracer).id;
        const prev = bars[id];
        bars[id] = prev === null ? ct : add(prev, ct);
      }
    }
    return inputs.map((x) => bars[x.id] ?? zeros(x.shape));
  }
}

/** The pullback returned by `vjp`: output cotangent -> one cotangent per primal. */
export type Pullback = (yBar: TensorLike) => Tensor[];

/**
 * Reverse-mode derivative: runs `f(...primals)` once, recording a tape, and returns
 * `[out, pullback]`; `pullback(yBar)` gives yBar^T J_f for every primal (seminar item 7) and
 * may be called many times (jacrev calls it once per output entry).
 * @example
 * const [y, pullback] = vjp((x) => mul(x, x), 3);
 * pullback(1)[0].item(); // 6
 */
export function vjp(f: (...args: Tensor[]) => TensorLike, ...primals: TensorLike[]): [Tensor, Pullback] {
  noteTransform("vjp");
  const xs = primals.map((x) => asTensor(x, "vjp"));
  return withTrace(
    (level) => new TapeTrace(level),
    (trace): [Tensor, Pullback] => {
      const inputs = xs.map((x) => trace.input(x));
      const out = asTensor(f(...inputs), "vjp");
      const value = trace.unbox(out);
      const pullback: Pullback = (yBar) => {
        const ct = asTensor(yBar, "vjp");
        if (!sameShape(ct.shape, value.shape)) {
          throw new Error(`vjp: cotangent has shape ${shapeStr(ct.shape)}, expected the output's shape ${shapeStr(value.shape)}`);
        }
        return trace.backward(out, ct, inputs);
      };
      return [value, pullback];
    },
  );
}
