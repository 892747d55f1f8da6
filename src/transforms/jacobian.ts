/**
 * @file Full Jacobians (seminar items 10-11): `jacfwd` pushes the n input basis vectors forward
 * (n JVPs: cheap when n < m), `jacrev` pulls the m output basis vectors back through ONE
 * recorded forward pass (m VJPs: cheap when n >> m). Both work in blocks of up to 64 basis
 * vectors: one evaluation of f per block of input directions, one backward pass per block of
 * output cotangents, so that neither mode is favoured on the diagonal n = m.
 */
import { noteTransform } from "../core/byhand.js";
import { withTrace } from "../core/trace.js";
import { reshape, stack, transpose } from "../ops/shape.js";
import { asTensor, zeros, type TensorLike } from "../tensor/create.js";
import { Tensor, wrap } from "../tensor/tensor.js";
import { distinctArgnums, resolveArgnums, type GradOf, type GradOptions, type TensorFn } from "./grad.js";
import { JVPTrace, JVPTracer, pushforward } from "./jvp.js";
import { vjp, type Pullback } from "./vjp.js";
import { GradlabError } from "../tensor/errors.js";

/** Input directions pushed forward per evaluation of f in `jacfwd`. */
const JACFWD_CHUNK = 64;
/** Output cotangents pulled back per backward pass in `jacrev` (as many as `jacfwd`'s directions). */
const JACREV_CHUNK = 64;

/** The i-th standard basis tensor of a shape. */
function basis(shape: readonly number[], size: number, i: number): Tensor {
  const e = new Float64Array(size);
  e[i] = 1;
  return wrap(e, shape);
}

/**
 * Forward-mode Jacobian of `f` with respect to argument `argnums` (default 0; an array gives one
 * Jacobian per listed argument, the others held fixed), shape `[...out.shape, ...x.shape]`
 * (columns by JVPs).
 * @example
 * jacfwd((x) => mul(x, x))(tensor([1, 2])).toArray() // [[2, 0], [0, 4]]
 * jacfwd((A, x) => matvec(A, x), { argnums: 1 })(A, x) // A
 */
export function jacfwd<A extends number | readonly number[] = number>(
  f: TensorFn,
  opts: GradOptions<A> = {},
): (...args: TensorLike[]) => GradOf<A> {
  const argnums = opts.argnums ?? 0;
  return (...args) => {
    noteTransform("jacfwd");
    const full = args.map((a) => asTensor(a, "jacfwd"));
    const jacs = resolveArgnums("jacfwd", argnums, full.length).map((k) =>
      jacfwdOne((x) => {
        const call = full.slice();
        call[k] = x;
        return f(...call);
      }, full[k]!),
    );
    return (typeof argnums === "number" ? jacs[0] : jacs) as GradOf<A>;
  };
}

function jacfwdOne(f: (x: Tensor) => TensorLike, xt: Tensor): Tensor {
  if (xt.size === 0) throw new GradlabError("jacfwd: expected an input with at least one entry, got shape [" + xt.shape.join(",") + "]");
  const cols: Tensor[] = [];
  let outShape: readonly number[] = [];
  // Directions go forward in chunks: one primal evaluation per chunk, bounded memory.
  for (let start = 0; start < xt.size; start += JACFWD_CHUNK) {
    const end = Math.min(xt.size, start + JACFWD_CHUNK);
    const dirs = Array.from({ length: end - start }, (_, k) => basis(xt.shape, xt.size, start + k));
    const [y, ts] = pushforward(f, xt, dirs);
    outShape = y.shape;
    cols.push(...ts);
  }
  // stack gives [n, ...out]; move the input axis to the end, then unflatten it.
  const byInput = stack(cols);
  const perm = [...outShape.map((_, i) => i + 1), 0];
  return reshape(transpose(byInput, perm), [...outShape, ...xt.shape]);
}

/**
 * Reverse-mode Jacobian of `f` with respect to argument `argnums` (default 0; an array gives one
 * Jacobian per listed argument from the same pullbacks), shape `[...out.shape, ...x.shape]`
 * (rows by pulling back each output basis vector through one recorded forward pass).
 * @example
 * jacrev((x) => mul(x, x))(tensor([1, 2])).toArray() // [[2, 0], [0, 4]]
 * const [dA, dx] = jacrev((A, x) => matvec(A, x), { argnums: [0, 1] })(A, x);
 */
export function jacrev<A extends number | readonly number[] = number>(
  f: TensorFn,
  opts: GradOptions<A> = {},
): (...args: TensorLike[]) => GradOf<A> {
  const argnums = opts.argnums ?? 0;
  return (...args) => {
    noteTransform("jacrev");
    const full = args.map((a) => asTensor(a, "jacrev"));
    const { positions, slots } = distinctArgnums(resolveArgnums("jacrev", argnums, full.length));
    const [y, pullback] = vjp(
      (...diff) => {
        const call = full.slice();
        positions.forEach((k, i) => (call[k] = diff[i]!));
        return f(...call);
      },
      ...positions.map((k) => full[k]!),
    );
    if (y.size === 0) throw new GradlabError("jacrev: expected an output with at least one entry, got shape [" + y.shape.join(",") + "]");
    const rows: Tensor[][] = positions.map(() => []);
    for (let start = 0; start < y.size; start += JACREV_CHUNK) {
      const end = Math.min(y.size, start + JACREV_CHUNK);
      const block = Array.from({ length: end - start }, (_, k) => basis(y.shape, y.size, start + k));
      pullBlock(pullback, y.shape, block).forEach((gs, j) => rows[j]!.push(...gs));
    }
    const byPosition = positions.map((k, j) => reshape(stack(rows[j]!), [...y.shape, ...full[k]!.shape]));
    const jacs = slots.map((j) => byPosition[j]!);
    return (typeof argnums === "number" ? jacs[0] : jacs) as GradOf<A>;
  };
}

/**
 * The pullback applied to every cotangent of `block`, in ONE backward pass: for each input, the
 * list of its cotangents. The pullback is linear in its cotangent, so running it once on a JVP
 * tracer (primal 0, one tangent per cotangent of the block) carries the block through the tape
 * as `jacfwd` carries its directions through f: every rule on the tape runs once, and what it
 * does not take from the cotangent (tanh's 1 - y^2) is computed once per block. Each tangent is
 * the rule's own op applied to that cotangent (the jvp of a map linear in one argument is the
 * same map), so the rows are the numbers separate pullbacks give. A block of one is pulled
 * back directly.
 */
function pullBlock(pullback: Pullback, outShape: readonly number[], block: readonly Tensor[]): Tensor[][] {
  if (block.length === 1) return pullback(block[0]!).map((g) => [g]);
  return withTrace(
    (level) => new JVPTrace(level, block.length),
    (trace) =>
      pullback(new JVPTracer(trace, zeros(outShape), block)).map((g) =>
        trace.owns(g) ? (g as JVPTracer).tangents.map((t) => t ?? zeros(g.shape)) : block.map(() => zeros(g.shape)),
      ),
  );
}
