/**
 * @file Trace levels and `bind` (Autodidax "Tracers and traces"): a stack of traces, tracers that
 * ARE tensors, and dispatch to the highest-level trace among a primitive's arguments.
 *
 * Defining a new kind of trace outside `src/core` (e.g. the graph recorder of `src/graph/`):
 * ```ts
 * class RecordTrace extends Trace {
 *   readonly seen: string[] = [];
 *   process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
 *     const primals = args.map((a) => this.unbox(a));   // own tracers -> their primal values
 *     const y = bind(prim, primals, params);            // evaluate one level down
 *     this.seen.push(prim);
 *     return new Tracer(this, y);                       // box the result at this level
 *   }
 * }
 * const names = withTrace((level) => new RecordTrace(level), (t) => {
 *   const x = new Tracer(t, tensor(2));
 *   exp(x);
 *   return t.seen;                                      // ["exp"]
 * });
 * ```
 * The primitive table (`primitives` from `src/primitives/index.ts`) gives any trace access to
 * every primitive's `impl`, `jvp` and `vjp` rules.
 */
import { Tensor, LIBRARY } from "../tensor/tensor.js";
import type { Params, Primitive, PrimitiveTable } from "./primitive.js";
import { GradlabError } from "../tensor/errors.js";

/**
 * An interpreter for primitives at one level of the trace stack. Subclasses implement
 * `process`; values that are not this trace's own tracers are constants to it (this is what
 * prevents perturbation confusion, Autodidax2 part 1).
 * @example withTrace((level) => new MyTrace(level), (trace) => ...)
 */
export abstract class Trace {
  /** Position in the trace stack (1 = outermost transform). */
  readonly level: number;
  /** False once the trace is popped; its leftover tracers then behave as their primal values. */
  active = true;

  /** @example new MyTrace(currentLevel() + 1) (prefer `withTrace`) */
  constructor(level: number) {
    this.level = level;
  }

  /**
   * Interprets one primitive application. `args` hold at least one tracer of this trace; other
   * arguments (concrete tensors, tracers of lower levels) are constants here.
   */
  abstract process<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor;

  /**
   * Interprets a call of a named sub-expression (`vertex(label, fn)`, JAX's `closed_call`):
   * `args` hold at least one tracer of this trace. Every trace but the graph recorder inlines it:
   * running `fn` here binds its primitives one by one, so each transform sees exactly the
   * primitives `fn` is made of (same values, same derivatives, at every order). The graph
   * recorder overrides this to keep the call as one vertex.
   */
  processCall(_label: string, fn: CallFn, args: readonly Tensor[]): Tensor {
    return fn(...args);
  }

  /**
   * True when `x` is a tracer of this very trace.
   * @example if (trace.owns(x)) use(x.primal)
   */
  owns(x: Tensor): x is Tracer {
    return x.level === this.level && (x as Tracer)._trace === this;
  }

  /**
   * The value one level down: the primal of an own tracer, `x` itself otherwise.
   * @example const primals = args.map((a) => trace.unbox(a));
   */
  unbox(x: Tensor): Tensor {
    return this.owns(x) ? x.primal : x;
  }
}

/**
 * A value being traced at some level. It IS a `Tensor` whose entries are the concrete primal
 * values (everything is eager), so `item()`, `toArray()`, `shape` all work inside transforms.
 * @example const t = new Tracer(trace, tensor([1, 2])); t.shape // [2]
 */
export class Tracer<T extends Trace = Trace> extends Tensor {
  /** The trace that owns this tracer (JAX's name; `trace()` is the matrix-trace method). */
  readonly _trace: T;
  // A concrete primal is not kept: it is rebuilt from this tracer's own data and shape on
  // demand, so a tape (which keeps every tracer, seminar item 6) retains one object fewer per
  // node, a saving that counts most on long chains of scalar ops.
  /** The lower-level tracer below this one, `null` when the primal is concrete (internal). */
  readonly _lower: Tensor | null;

  constructor(trace: T, primal: Tensor) {
    super(primal._buf, primal.shape, trace.level, primal._value);
    this._trace = trace;
    this._lower = primal.level === 0 ? null : primal;
  }

  /** The value one level down (a concrete tensor or a lower-level tracer). */
  get primal(): Tensor {
    return this._lower ?? new Tensor(this._buf, this.shape, 0, this._value, LIBRARY);
  }
}

/** The function of a named sub-expression: tensors in, one tensor out. */
export type CallFn = (...xs: Tensor[]) => Tensor;

const stack: Trace[] = [];

/**
 * The primitives' definitions (impl, jvp and vjp rules), registered by `src/primitives/index.ts`
 * when it loads: the rules are written with ops, which bind here, so the table comes to core/
 * rather than core/ importing it (as tfjs-core's kernel registry).
 */
let primitives: PrimitiveTable | undefined;

/**
 * Sets the table `bind` dispatches through (src/primitives/index.ts calls it once, on load).
 * @example registerPrimitives(primitives)
 */
export function registerPrimitives(table: PrimitiveTable): void {
  primitives = table;
}

/** The registered table, or a clear error when nothing imported src/primitives/index.ts. */
function table(): PrimitiveTable {
  if (primitives === undefined)
    throw new Error('gradlab: no primitives are registered: import the library from its entry point (src/index.ts, "gradlab")');
  return primitives;
}

/**
 * Number of traces currently active (0 outside every transform).
 * @example currentLevel() // 0
 */
export function currentLevel(): number {
  return stack.length;
}

/**
 * Pushes a new trace one level above the current top, runs `body`, then pops it (also on
 * error). After the pop the trace is inactive.
 * @example const y = withTrace((l) => new JVPTrace(l), (trace) => f(new JVPTracer(trace, x, xDot)));
 */
export function withTrace<T extends Trace, R>(make: (level: number) => T, body: (trace: T) => R): R {
  const trace = make(stack.length + 1);
  if (trace.level !== stack.length + 1) {
    throw new GradlabError(`withTrace: expected a trace at level ${stack.length + 1}, got level ${trace.level}`);
  }
  stack.push(trace);
  try {
    return body(trace);
  } finally {
    stack.pop();
    trace.active = false;
  }
}

/** A tracer whose trace has ended stands for its primal value. */
function dropStale(x: Tensor): Tensor {
  while (x.level > 0 && !(x as Tracer)._trace.active) x = (x as Tracer).primal;
  return x;
}

/**
 * Applies a primitive: dispatches to the trace of the highest-level argument, or runs the
 * kernel when every argument is concrete. All ops go through here.
 * @example bind(Primitive.Add, [x, y], NO_PARAMS)
 */
export function bind<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
  let top: Tensor | null = null;
  let level = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.level > level) {
      level = a.level;
      top = a;
    }
  }
  if (top === null) return table()[prim].impl(args, params);
  const trace = (top as Tracer)._trace;
  if (!trace.active) return bindStale(prim, args, params);
  return trace.process(prim, args, params);
}

/**
 * `bind` when the top tracer's trace has ended. If every argument is concrete or a finished
 * tracer over a concrete value, the kernel runs on them directly (they carry their entries), so
 * a pullback can hand a tape's own tracers to the vjp rules without re-boxing each value.
 */
function bindStale<P extends Primitive>(prim: P, args: readonly Tensor[], params: Params[P]): Tensor {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Tracer;
    if (a.level > 0 && (a._trace.active || a._lower !== null)) return bind(prim, args.map(dropStale), params);
  }
  return table()[prim].impl(args, params);
}

/**
 * Applies a named sub-expression `fn` to `args` (the higher-order counterpart of `bind`, JAX's
 * `call_bind`): dispatches to the trace of the highest-level argument (`processCall`), or runs
 * `fn` directly when every argument is concrete or the top trace has ended. `fn`'s result is
 * returned as is; the caller checks that it is a tensor.
 * @example callBind("u²/2", (u) => div(square(u), 2), [x])
 */
export function callBind(label: string, fn: CallFn, args: readonly Tensor[]): Tensor {
  let top: Tensor | null = null;
  let level = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.level > level) {
      level = a.level;
      top = a;
    }
  }
  if (top === null || !(top as Tracer)._trace.active) return fn(...args);
  return (top as Tracer)._trace.processCall(label, fn, args);
}
