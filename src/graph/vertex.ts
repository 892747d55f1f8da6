/**
 * @file `vertex(label, fn)`: a sub-expression that a recorded graph shows as ONE vertex (the
 * seminar's u₈ = u₇²/2), and that every transform differentiates as the primitives it is made of
 * (JAX's `closed_call` / `named_call`: a call primitive whose rules are fn's own).
 */
import { callBind } from "../core/trace.js";
import { asTensor, type TensorLike } from "../tensor/create.js";
import { GradlabError } from "../tensor/errors.js";
import { Tensor } from "../tensor/tensor.js";
import { tr } from "../i18n/index.js";
import { returnError } from "./record.js";

/**
 * Names a sub-expression: the returned function computes `fn(...xs)` with the same primitives (so
 * the same numbers, in grad, vjp, jvp, hessian, jacfwd, jacrev and their nestings), but
 * `traceGraph`, `%graph`, `%backprop` and `%forward` record it as one vertex labelled `label`,
 * whose parents are its tensor arguments; the constants fn closes over belong to it. Its local
 * derivatives in the tables are fn's own pullback and pushforward. Every value fn depends on
 * that the graph records must be an argument (a closed-over input is an error).
 *
 * @example
 * const halfSquare = vertex("u²/2", (u) => div(square(u), 2));
 * const sqNorm = vertex("‖ω‖²", (w) => sum(square(w)));
 * traceGraph((x) => halfSquare(sub(x, 1)), 3).vertices.map((v) => v.op); // ["input", "sub", "u²/2"]
 */
export function vertex(label: string, fn: (...xs: Tensor[]) => Tensor): (...xs: TensorLike[]) => Tensor {
  if (typeof label !== "string" || label.trim() === "") {
    throw new GradlabError(
      "vertex: " + tr("expected a label (a non-empty string) as the first argument, got {got}", { got: describe(label) }),
    );
  }
  if (typeof fn !== "function") {
    throw new GradlabError(
      "vertex: " + tr("expected a function as the second argument of “{label}”, got {got}", { label, got: describe(fn) }),
    );
  }
  const named = (...xs: TensorLike[]): Tensor => {
    if (fn.length > xs.length) {
      throw new GradlabError("vertex: " + tr("“{label}” takes {k} arguments, got {n}", { label, k: fn.length, n: xs.length }));
    }
    const args = xs.map((x, k) => {
      try {
        return asTensor(x);
      } catch (e) {
        throw new GradlabError(
          "vertex: " + tr("argument {k} of “{label}” is not a tensor: {why}", { label, k: k + 1, why: (e as Error).message }),
          { cause: e },
        );
      }
    });
    const y: unknown = callBind(label, fn, args);
    if (!(y instanceof Tensor)) throw returnError(label, y);
    return y;
  };
  Object.defineProperty(named, "name", { value: label });
  return named;
}

function describe(x: unknown): string {
  return x === null ? "null" : Array.isArray(x) ? tr("an array") : typeof x;
}
