/**
 * @file The iterates of gradient descent and of (damped) Newton's method on a function of two
 * variables, with gradient and Hessian from gradlab's own `grad` and `hessian` (seminar item on
 * HVP/Newton; `playground` draws them). Pure: a function and numbers in, points out.
 */
import { index } from "../ops/shape.js";
import { solve } from "../ops/linalg.js";
import { grad } from "../transforms/grad.js";
import { hessian } from "../transforms/hessian.js";
import { asTensor, tensor, type TensorLike } from "../tensor/create.js";
import type { Tensor } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/** A function of two variables: f(x, y) of two scalars, or f(v) of one vector of shape [2]. */
export type Fn2 = ((x: Tensor, y: Tensor) => TensorLike) | ((v: Tensor) => TensorLike);

/** The step rule: gradient descent x - lr ∇f, or Newton x - lr H⁻¹∇f. */
export type DescentMethod = "gd" | "newton";

/** Options of {@link descentPath}. */
export interface DescentOptions {
  /** The step size (for Newton, the damping: 1 is the pure Newton step). Default 0.1. */
  lr?: number;
  /** Number of steps (default 20). */
  steps?: number;
  /** "gd" (default) or "newton". */
  method?: DescentMethod;
}

/** The iterates x_0, ..., x_k, f at each, and why the run stopped early (if it did). */
export interface DescentPath {
  /** [x, y] of every iterate, the start first. */
  points: [number, number][];
  /** f at every iterate. */
  values: number[];
  /** Set when the run stopped before `steps`: a diverging iterate or a singular Hessian. */
  stopped?: string;
}

/** Iterates whose coordinates or value grow past this count as diverged (the plot would be meaningless). */
const DIVERGED = 1e12;

/**
 * f as a function of one vector v of shape [2], whichever form it was written in.
 *
 * @example
 * asVectorFn((x, y) => add(x, y))(tensor([1, 2])).item(); // 3
 */
export function asVectorFn(f: Fn2): (v: Tensor) => Tensor {
  if (typeof f !== "function")
    throw new GradlabError(`descentPath: expected a function of two variables, got ${f === null ? "null" : typeof f}`);
  return f.length >= 2
    ? (v: Tensor) => asTensor((f as (x: Tensor, y: Tensor) => TensorLike)(index(v, 0), index(v, 1)))
    : (v: Tensor) => asTensor((f as (v: Tensor) => TensorLike)(v));
}

/**
 * Run gradient descent (x_{k+1} = x_k - lr ∇f(x_k)) or damped Newton
 * (x_{k+1} = x_k - lr ∇²f(x_k)⁻¹ ∇f(x_k)) from `start` and return every iterate.
 *
 * @example
 * // f = x² + 3y²: Newton with lr = 1 lands on the minimum in one step.
 * descentPath((x, y) => add(square(x), mul(3, square(y))), [1, 1], { method: "newton", steps: 1 }).points; // [[1, 1], [0, 0]]
 */
export function descentPath(f: Fn2, start: readonly [number, number], opts: DescentOptions = {}): DescentPath {
  const who = "descentPath";
  const fv = asVectorFn(f);
  const lr = opts.lr ?? 0.1;
  const steps = opts.steps ?? 20;
  const method = opts.method ?? "gd";
  if (!Array.isArray(start) || start.length !== 2 || !start.every(Number.isFinite))
    throw new GradlabError(`${who}: expected a start point [x, y] of finite numbers, got ${JSON.stringify(start)}`);
  if (!Number.isFinite(lr)) throw new GradlabError(`${who}: expected a finite lr, got ${lr}`);
  if (!(Number.isInteger(steps) && steps >= 0)) throw new GradlabError(`${who}: expected steps to be a whole number >= 0, got ${steps}`);
  if (method !== "gd" && method !== "newton")
    throw new GradlabError(`${who}: expected method "gd" or "newton", got ${JSON.stringify(method)}`);
  const value = (v: Tensor) => {
    const y = fv(v);
    if (y.size !== 1) throw new GradlabError(`${who}: expected f to return a scalar, got shape [${y.shape.join(", ")}]`);
    return y.data[0]!;
  };
  const g = grad(fv);
  const h = hessian(fv);
  let v = tensor([start[0], start[1]]);
  const path: DescentPath = { points: [[start[0], start[1]]], values: [value(v)] };
  for (let k = 0; k < steps; k++) {
    let dir: Tensor;
    if (method === "gd") dir = g(v);
    else {
      try {
        dir = solve(h(v), g(v));
      } catch (e) {
        path.stopped = tr("step {k}: the Hessian is singular ({reason})", { k: k + 1, reason: (e as Error).message });
        break;
      }
    }
    v = tensor([v.data[0]! - lr * dir.data[0]!, v.data[1]! - lr * dir.data[1]!]);
    const fx = value(v);
    const [x, y] = [v.data[0]!, v.data[1]!];
    if (![x, y, fx].every((t) => Number.isFinite(t) && Math.abs(t) < DIVERGED)) {
      path.stopped = tr("step {k}: diverged (x = {x}, y = {y}, f = {f})", { k: k + 1, x, y, f: fx });
      break;
    }
    path.points.push([x, y]);
    path.values.push(fx);
  }
  return path;
}
