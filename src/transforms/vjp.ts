/**
 * @file Reverse mode (seminar items 4-7): a tape trace records every primitive application
 * (inputs, output, params) in execution order, which is a topological order; the pullback walks
 * the tape backwards, asks each primitive's vjp rule for the cotangents its inputs need, and
 * sums them where a value fans out (micrograd's `+=`).
 */
import { NO_PARAMS, Primitive, type Params } from "../core/primitive.js";
import { noteTransform } from "../core/byhand.js";
import { bind, Trace, Tracer, withTrace } from "../core/trace.js";
import { add } from "../ops/arith.js";
import { primitives } from "../primitives/index.js";
import { asTensor, zeros, type TensorLike } from "../tensor/create.js";
import { sameShape, shapeStr, type Shape } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";

/**
 * A value computed under a tape trace: a tracer that knows its vertex number on the tape. The
 * tape itself lives in columns on the trace (see `TapeTrace`), so a tracer the user drops is
 * garbage at once: a long chain of scalar ops keeps no object per op alive.
 * @example
 * const [, pullback] = vjp((x) => exp(x), 1); // inside, x is a TapeTracer with id 0
 */
export class TapeTracer extends Tracer<TapeTrace> {
  /** Vertex number u_id (inputs first, then one per recorded primitive, in execution order). */
  readonly id: number;

  /** @example new TapeTracer(trace, y, 3) */
  constructor(trace: TapeTrace, primal: Tensor, id: number) {
    super(trace, primal);
    this.id = id;
  }
}

/** Shared, never-mutated `wants` arrays for unary and binary nodes, indexed by a bit mask. */
const WANTS: readonly (readonly boolean[])[][] = [
  [[]],
  [[false], [true]],
  [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ],
];

/** Primitive codes for the tape's byte column (0 marks a differentiated input). */
const PRIMS: readonly Primitive[] = Object.values(Primitive);
const CODE = new Map<Primitive, number>(PRIMS.map((p, i) => [p, i + 1]));
/** The shape `[]`, shared by re-boxed scalar values. */
const SCALAR_SHAPE: Shape = Object.freeze([]) as Shape;

/**
 * The tape's typed columns come in chunks that double: chunk j holds 2^j 256 vertices, from
 * vertex (2^j - 1) 256 on. A short tape stays small, a long one is never copied to grow, and
 * 100k vertices take nine chunks.
 */
const FIRST_BITS = 8;
/** The chunk holding vertex k. */
const chunkOf = (k: number): number => 31 - Math.clz32((k >>> FIRST_BITS) + 1);
/** The first vertex of chunk j. */
const chunkStart = (j: number): number => ((1 << j) - 1) << FIRST_BITS;
/** The arity column's mark for a vertex with more than two arguments. */
const MANY = 255;

/** Consecutive vertices of the tape, column by column. */
class TapeChunk {
  /** Primitive code of each vertex (`PRIMS[code - 1]`), 0 for a differentiated input. */
  readonly prims: Uint8Array;
  /** Number of arguments of each vertex when at most two, MANY otherwise (they are in `many`). */
  readonly arity: Uint8Array;
  /** Arguments 0 and 1 of vertex o at [2o] and [2o + 1]: a vertex number, or ~j for `consts[j]`. */
  readonly args: Int32Array;
  /** Where vertex o's value is: `objs[slot]` when slot >= 0, else `vals[o]` with shape `shapes[~slot]`. */
  readonly slot: Int32Array;
  /** The entry of vertex o's value when that value is an unboxed one-entry tensor. */
  readonly vals: Float64Array;

  /** Columns for `n` vertices in one buffer (one allocation per chunk). */
  constructor(n: number) {
    const buf = new ArrayBuffer(n * 22);
    this.vals = new Float64Array(buf, 0, n);
    this.args = new Int32Array(buf, 8 * n, 2 * n);
    this.slot = new Int32Array(buf, 16 * n, n);
    this.prims = new Uint8Array(buf, 20 * n, n);
    this.arity = new Uint8Array(buf, 21 * n, n);
  }
}

/**
 * The reverse-mode interpreter: evaluates one level down and appends a vertex to the tape.
 *
 * The tape is seminar item 5's u_1..u_m in execution (hence topological) order. It is kept in
 * typed columns indexed by vertex number rather than as one object per vertex: the primitive,
 * the arguments (a vertex number, or a constant), and the value the vjp rules need (an unboxed
 * one-entry value's entry in a Float64Array, any other tensor by reference). One retained object
 * per op would make every minor garbage collection copy the whole tape, and large arrays of
 * pointers are slow to grow and to scan: on long chains of scalar ops, both would dominate the
 * time (docs/performance.md, "The tape's memory").
 * @example withTrace((level) => new TapeTrace(level), (trace) => trace.backward(f(trace.input(x)), yBar, [...]))
 */
export class TapeTrace extends Trace {
  private count = 0;
  /** The typed columns, in chunks that double (see `chunkOf`). */
  private readonly chunks: TapeChunk[] = [];
  /** The chunk being filled and its first vertex. */
  private cur: TapeChunk | null = null;
  private curStart = 0;
  /** Values kept by reference: tensors with storage and lower-level tracers. */
  private readonly objs: Tensor[] = [];
  /** The distinct shapes of unboxed one-entry values (usually one or two). */
  private readonly shapes: Shape[] = [SCALAR_SHAPE];
  /** Tensors used as constants (not this trace's tracers), referenced by ~index from `args`. */
  private readonly consts: Tensor[] = [];
  /** Parameters of the vertices whose primitive takes any (the others have NO_PARAMS). */
  private readonly params = new Map<number, Params[Primitive]>();
  /** Arguments of the vertices with more than two (stack). */
  private readonly many = new Map<number, Int32Array>();

  /** Starts a new differentiated input. @example const x = trace.input(tensor(1)) */
  input(x: Tensor): TapeTracer {
    return new TapeTracer(this, x, this.record(null, NO_PARAMS, NO_ARGS, x));
  }

  process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
    const y = this.concrete(args)
      ? primitives[prim].impl(args, params)
      : bind(
          prim,
          args.map((a) => this.unbox(a)),
          params,
        );
    return new TapeTracer(this, y, this.record(prim, params as Params[Primitive], args, y));
  }

  /** Appends a vertex and returns its number. */
  private record(prim: Primitive | null, params: Params[Primitive], args: readonly Tensor[], y: Tensor): number {
    const id = this.count++;
    let c = this.cur;
    if (c === null || id - this.curStart === c.vals.length) {
      const j = this.chunks.length;
      this.chunks.push((c = this.cur = new TapeChunk(1 << (j + FIRST_BITS))));
      this.curStart = chunkStart(j);
    }
    const o = id - this.curStart;
    c.prims[o] = prim === null ? 0 : CODE.get(prim)!;
    if (params !== NO_PARAMS) this.params.set(id, params);
    const n = args.length;
    c.arity[o] = n <= 2 ? n : MANY;
    if (n <= 2) {
      for (let i = 0; i < n; i++) c.args[2 * o + i] = this.ref(args[i]);
    } else {
      const refs = new Int32Array(n);
      for (let i = 0; i < n; i++) refs[i] = this.ref(args[i]);
      this.many.set(id, refs);
    }
    if (y.level === 0 && y._buf === null) {
      c.vals[o] = y._value;
      c.slot[o] = ~this.shapeIndex(y.shape);
    } else {
      c.slot[o] = this.objs.length;
      this.objs.push(y);
    }
    return id;
  }

  /** The index of `shape` in `shapes` (added when new; the last one is the usual match). */
  private shapeIndex(shape: Shape): number {
    const shapes = this.shapes;
    if (shape.length === 0) return 0;
    for (let i = shapes.length - 1; i > 0; i--) if (sameShape(shapes[i], shape)) return i;
    return shapes.push(shape) - 1;
  }

  /** The tape's reference to an argument: its vertex number, or ~j for a constant. */
  private ref(a: Tensor): number {
    if (this.owns(a)) return (a as TapeTracer).id;
    return ~(this.consts.push(a) - 1);
  }

  /** Vertex k's value one level down (a one-entry value is re-boxed; kernels only read it). */
  private value(k: number): Tensor {
    const j = chunkOf(k);
    const c = this.chunks[j];
    const o = k - chunkStart(j);
    const s = c.slot[o];
    return s >= 0 ? this.objs[s] : Tensor.scalar(c.vals[o], this.shapes[~s]);
  }

  /** The shape of vertex k's value. */
  private shapeOf(k: number): Shape {
    const j = chunkOf(k);
    const s = this.chunks[j].slot[k - chunkStart(j)];
    return s >= 0 ? this.objs[s].shape : this.shapes[~s];
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
    const bars = new Adjoints(this.count);
    const top = (out as TapeTracer).id;
    bars.set(top, yBar);
    // Vertices recorded after the output cannot reach it: the walk starts at the output.
    for (let k = top; k >= 0; k--) {
      const j = chunkOf(k);
      const c = this.chunks[j];
      const o = k - chunkStart(j);
      const code = c.prims[o];
      if (code === 0 || !bars.has(k)) continue;
      const g = bars.take(k, this.shapeOf(k));
      const prim = PRIMS[code - 1];
      const many = c.arity[o] === MANY ? this.many.get(k)! : null;
      const n = many !== null ? many.length : c.arity[o];
      const args = c.args;
      const primals = new Array<Tensor>(n);
      let mask = 0;
      for (let i = 0; i < n; i++) {
        const r = many !== null ? many[i] : args[2 * o + i];
        if (r >= 0 && i < 2) mask |= 1 << i;
        primals[i] = r >= 0 ? this.value(r) : this.consts[~r];
      }
      const wants = many !== null ? Array.from(many, (r) => r >= 0) : WANTS[n][mask];
      const params = this.params.size === 0 ? NO_PARAMS : (this.params.get(k) ?? NO_PARAMS);
      const cts = (primitives[prim] as (typeof primitives)[Primitive]).vjp(g, primals, this.value(k), params as never, wants);
      for (let i = 0; i < n; i++) {
        const ct = cts[i];
        if (!wants[i] || ct === null) continue;
        if (!sameShape(ct.shape, primals[i].shape)) {
          throw new GradlabError(
            `vjp: rule of ${prim} returned a cotangent of shape ${shapeStr(ct.shape)} for an input of shape ${shapeStr(primals[i].shape)}`,
          );
        }
        const r = many !== null ? many[i] : args[2 * o + i];
        bars.set(r, bars.has(r) ? add(bars.take(r, ct.shape), ct) : ct);
      }
    }
    return inputs.map((x) => (bars.has(x.id) ? bars.take(x.id, x.shape) : zeros(x.shape)));
  }
}

/**
 * The adjoints ū_k of a backward pass, in columns like the tape: an unboxed one-entry adjoint
 * is kept as its entry, any other by reference. A chain of scalar ops then allocates only
 * short-lived tensors. ū_k has the shape of vertex k's value, so no shape is stored.
 */
class Adjoints {
  /** 0: no adjoint yet; 1: its entry is `vals[k]`; 2: it is `objs.get(k)`. */
  private readonly kind: Uint8Array;
  private readonly vals: Float64Array;
  private readonly objs = new Map<number, Tensor>();

  constructor(n: number) {
    this.kind = new Uint8Array(n);
    this.vals = new Float64Array(n);
  }

  has(k: number): boolean {
    return this.kind[k] !== 0;
  }

  set(k: number, t: Tensor): void {
    if (t.level === 0 && t._buf === null) {
      this.kind[k] = 1;
      this.vals[k] = t._value;
    } else {
      this.kind[k] = 2;
      this.objs.set(k, t);
    }
  }

  /** Removes and returns ū_k, which must be there; `shape` is vertex k's. */
  take(k: number, shape: Shape): Tensor {
    const kind = this.kind[k];
    this.kind[k] = 0;
    if (kind === 1) return Tensor.scalar(this.vals[k], shape);
    const t = this.objs.get(k)!;
    this.objs.delete(k);
    return t;
  }
}

/** The arguments of an input vertex. */
const NO_ARGS: readonly Tensor[] = [];

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
          throw new GradlabError(`vjp: cotangent has shape ${shapeStr(ct.shape)}, expected the output's shape ${shapeStr(value.shape)}`);
        }
        return trace.backward(out, ct, inputs);
      };
      return [value, pullback];
    },
  );
}
