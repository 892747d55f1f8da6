/** @file `grad` and `valueAndGrad`, built on `vjp` with the seed cotangent 1 (seminar item 5: ū_m = 1). */
import { asTensor, ones, type TensorLike } from "../tensor/create.js";
import { shapeStr } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { noteTransform } from "../core/byhand.js";
import { vjp } from "./vjp.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/** A function that transforms can differentiate: tensors in, a tensor (or number) out. */
export type TensorFn = (...args: Tensor[]) => TensorLike;

/** Which positional arguments to differentiate: one index (default 0) or several. */
export interface GradOptions<A extends number | readonly number[] = number | readonly number[]> {
  argnums?: A;
}

/** The gradient(s) returned for `argnums`: one tensor for a number, an array for an array. */
export type GradOf<A> = A extends readonly number[] ? Tensor[] : Tensor;

/**
 * The argument positions `argnums` names, checked against the call's `nargs` arguments.
 * @example resolveArgnums("grad", [0, 2], 3) // [0, 2]
 */
export function resolveArgnums(op: string, argnums: number | readonly number[], nargs: number): number[] {
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  for (const k of list) {
    if (!Number.isInteger(k) || k < 0 || k >= nargs) {
      throw new GradlabError(`${op}: argnums ${k} out of range for ${nargs} argument(s)`);
    }
  }
  return list;
}

/**
 * Differentiating with respect to a position once, however often `argnums` lists it: the
 * distinct positions in order of first mention, and for each listed entry its slot among them,
 * so that `argnums: [0, 0]` returns the same gradient twice (as JAX does).
 * @example distinctArgnums([1, 0, 1]) // { positions: [1, 0], slots: [0, 1, 0] }
 */
export function distinctArgnums(nums: readonly number[]): { positions: number[]; slots: number[] } {
  const positions: number[] = [];
  const slots = nums.map((k) => {
    const at = positions.indexOf(k);
    if (at >= 0) return at;
    positions.push(k);
    return positions.length - 1;
  });
  return { positions, slots };
}

/**
 * `valueAndGrad(f)(...args)` returns `[f(...args), ∇f]` from one forward and one backward pass.
 * `f` must return a scalar (a single entry).
 * @example
 * const [v, g] = valueAndGrad((x) => sum(mul(x, x)))(tensor([1, 2])); // v = 5, g = [2, 4]
 */
export function valueAndGrad<A extends number | readonly number[] = number>(
  f: TensorFn,
  opts: GradOptions<A> = {},
): (...args: TensorLike[]) => [Tensor, GradOf<A>] {
  return valueAndGradAs("valueAndGrad", f, opts);
}

/** `valueAndGrad` reporting itself to {@link noteTransform} as `name` (grad is built on it). */
function valueAndGradAs<A extends number | readonly number[]>(
  name: string,
  f: TensorFn,
  opts: GradOptions<A>,
): (...args: TensorLike[]) => [Tensor, GradOf<A>] {
  const argnums = opts.argnums ?? 0;
  return (...args) => {
    noteTransform(name);
    const { positions, slots } = distinctArgnums(resolveArgnums("grad", argnums, args.length));
    const full = args.map((x) => asTensor(x, "grad"));
    const [value, pullback] = vjp(
      (...diff) => {
        const call = full.slice();
        positions.forEach((k, i) => (call[k] = diff[i]));
        return f(...call);
      },
      ...positions.map((k) => full[k]),
    );
    if (value.size !== 1)
      throw new GradlabError(`grad: ${tr("f must return a scalar, got shape {shape}", { shape: shapeStr(value.shape) })}`);
    const byPosition = pullback(ones(value.shape));
    const grads = slots.map((j) => byPosition[j]);
    return [value, (typeof argnums === "number" ? grads[0] : grads) as GradOf<A>];
  };
}

/**
 * The gradient of a scalar function: `grad(f)(x)` has x's shape. With `argnums: [0, 1]` it
 * returns one gradient per listed argument. Nests to any depth: `grad(grad(f))`.
 * @example
 * grad((x) => sin(x))(0).item(); // cos(0) = 1
 * const [gx, gy] = grad((x, y) => mul(x, y), { argnums: [0, 1] })(2, 3); // 3, 2
 */
export function grad<A extends number | readonly number[] = number>(
  f: TensorFn,
  opts: GradOptions<A> = {},
): (...args: TensorLike[]) => GradOf<A> {
  const vg = valueAndGradAs("grad", f, opts);
  return (...args) => vg(...args)[1];
}
