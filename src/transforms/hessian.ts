/** @file The Hessian as forward-over-reverse: `jacfwd(grad(f))`. */
import { asTensor, type TensorLike } from "../tensor/create.js";
import { shapeStr } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { noteTransform } from "../core/byhand.js";
import { grad, type GradOptions, type TensorFn } from "./grad.js";
import { jacfwd } from "./jacobian.js";
import { GradlabError } from "../tensor/errors.js";

/** `hessian`'s result: one block for a number, the blocks H[i][j] = ∂²f/∂x_i∂x_j for an array. */
export type HessianOf<A> = A extends readonly number[] ? Tensor[][] : Tensor;

/**
 * ∇²f of a scalar function with respect to argument `argnums` (default 0), shape
 * `[...x.shape, ...x.shape]`; with an array of argnums, the blocks `H[i][j]` (shape
 * `[...x_i.shape, ...x_j.shape]`), as JAX's `hessian` returns them.
 * @example
 * hessian((x) => sum(pow(x, 3)))(tensor([1, 2])).toArray() // [[6, 0], [0, 12]]
 * const [[Hxx, Hxy], [Hyx, Hyy]] = hessian((x, y) => sum(mul(x, y)), { argnums: [0, 1] })(x, y);
 */
export function hessian<A extends number | readonly number[] = number>(
  f: TensorFn,
  opts: GradOptions<A> = {},
): (...args: TensorLike[]) => HessianOf<A> {
  const argnums = opts.argnums ?? 0;
  const scalar = scalarOnly(f);
  if (typeof argnums === "number") {
    const g: TensorFn = grad<number>(scalar, { argnums });
    const jac = jacfwd(g, { argnums });
    return ((...args: TensorLike[]) => {
      noteTransform("hessian");
      return jac(...args);
    }) as (...args: TensorLike[]) => HessianOf<A>;
  }
  const nums: readonly number[] = argnums as readonly number[];
  return ((...args: TensorLike[]) =>
    nums.map((i) => {
      noteTransform("hessian");
      const gi: TensorFn = grad<number>(scalar, { argnums: i });
      return jacfwd(gi, { argnums: [...nums] })(...args);
    })) as (...args: TensorLike[]) => HessianOf<A>;
}

/**
 * `f`, checked to return one entry as it runs under `grad`: a vector-valued f fails here, naming
 * `hessian`, before `grad` would report it as its own. The check rides on the forward pass that
 * `grad` makes anyway.
 */
function scalarOnly(f: TensorFn): TensorFn {
  return (...xs) => {
    const y = asTensor(f(...xs), "hessian");
    if (y.size !== 1) {
      throw new GradlabError(
        `hessian: f must return a scalar, got shape ${shapeStr(y.shape)} (for a vector-valued f, jacfwd(jacrev(f)) gives the second derivatives of every entry)`,
      );
    }
    return y;
  };
}
