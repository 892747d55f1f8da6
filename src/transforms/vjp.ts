/**
 * @file Reverse mode (seminar items 4-7): a tape trace records every primitive application
 * (inputs, output, params) in execution order, which is a topological order; the pullback walks
 * the tape backwards, asks each primitive's vjp rule for the cotangents its inputs need, and
 * sums them where a value fans out (micrograd's `+=`).
 */
import type { Params, Primitive } from "../core/primitive.js";
import { bind, Trace, Tracer, withTrace } from "../core/trace.js";
import { add } from "../ops/arith.js";
import { primitives } from "../primitives/index.js";
import { asTensor, zeros, type TensorLike } from "../tensor/create.js";
import { sameShape, shapeStr } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";

/** A value recorded on a tape: its position `id` indexes the adjoint array. */
export class TapeTracer extends Tracer<TapeTrace> {
  /** Vertex number u_id (inputs first, then one per recorded primitive). */
  readonly id: number;

  /** @example new TapeTracer(trace, x, 0) */
  constructor(trace: TapeTrace, primal: Tensor, id: number) {
    super(trace, primal);
    this.id = id;
  }
}

/** One recorded primitive application (seminar item 5: forward values are all stored). */
export interface TapeNode {
  readonly prim: Primitive;
  readonly params: Params[Primitive];
  /** Input values one level down. */
  readonly primals: readonly Tensor[];
  /** Vertex id of each input, -1 for constants of this level. */
  readonly ids: readonly number[];
  /** Whether each input needs a cotangent (ids[i] >= 0): the vjp rule's `wants`. */
  readonly wants: readonly boolean[];
  /** The output value and its vertex id. */
  readonly y: Tensor;
  readonly id: number;
}

/** The reverse-mode interpreter: evaluates one level down and appends a node to the tape. */
export class TapeTrace extends Trace {
  /** Recorded applications in execution (topological) order. */
  readonly nodes: TapeNode[] = [];
  private count = 0;

  /** Starts a new differentiated input. @example const x = trace.input(tensor(1)) */
  input(x: Tensor): TapeTracer {
    return new TapeTracer(this, x, this.count++);
  }

  process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
    const n = args.length;
    const primals = new Array<Tensor>(n);
    const ids = new Array<number>(n);
    const wants = new Array<boolean>(n);
    for (let i = 0; i < n; i++) {
      const a = args[i];
      const own = this.owns(a);
      primals[i] = own ? a.primal : a;
      ids[i] = own ? (a as TapeTracer).id : -1;
      wants[i] = own;
    }
    const y = bind(prim, primals, params);
    const id = this.count++;
    this.nodes.push({ prim, params, primals, ids, wants, y, id });
    return new TapeTracer(this, y, id);
  }

  /**
   * Adjoints of `inputs` for the output cotangent `yBar` (seminar item 5: ū_m = yBar, then
   * ū_i = Σ_children ū_j ∂u_j/∂u_i for i = m-1..1). Can run any number of times.
   */
  backward(out: Tensor, yBar: Tensor, inputs: readonly TapeTracer[]): Tensor[] {
    if (!this.owns(out)) return inputs.map((x) => zeros(x.shape));
    const bars = new Array<Tensor | null>(this.count).fill(null);
    bars[(out as TapeTracer).id] = yBar;
    const nodes = this.nodes;
    for (let k = nodes.length - 1; k >= 0; k--) {
      const node = nodes[k];
      const g = bars[node.id];
      if (g === null) continue;
      bars[node.id] = null;
      const rule = primitives[node.prim] as (typeof primitives)[Primitive];
      const cts = rule.vjp(g, node.primals, node.y, node.params as never, node.wants);
      for (let i = 0; i < cts.length; i++) {
        const ct = cts[i];
        const id = node.ids[i];
        if (id < 0 || ct === null) continue;
        if (!sameShape(ct.shape, node.primals[i].shape)) {
          throw new Error(
            `vjp: rule of ${node.prim} returned a cotangent of shape ${shapeStr(ct.shape)} for an input of shape ${shapeStr(node.primals[i].shape)}`,
          );
        }
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
  const xs = primals.map(asTensor);
  return withTrace(
    (level) => new TapeTrace(level),
    (trace): [Tensor, Pullback] => {
      const inputs = xs.map((x) => trace.input(x));
      const out = asTensor(f(...inputs));
      const value = trace.unbox(out);
      const pullback: Pullback = (yBar) => {
        const ct = asTensor(yBar);
        if (!sameShape(ct.shape, value.shape)) {
          throw new Error(`vjp: cotangent has shape ${shapeStr(ct.shape)}, expected the output's shape ${shapeStr(value.shape)}`);
        }
        return trace.backward(out, ct, inputs);
      };
      return [value, pullback];
    },
  );
}
