/**
 * @file Knowing when autodiff runs: the hook that lets a homework check tell a derivative
 * written by hand from one computed by `grad`, `vjp`, `jvp` or another transform, from the
 * graph API, or from the function the exercise asks to differentiate.
 *
 * Every public transform (`grad`, `valueAndGrad`, `vjp`, `jvp`, `hvp`, `jacfwd`, `jacrev`,
 * `hessian`), `gradcheck` and the graph API (`traceGraph`, `graph`, `backprop`, `forwardTable`,
 * `backwardGraph`, `backward`, `forward`) calls {@link noteTransform} with its name each time it
 * runs; a function wrapped by {@link provided} calls {@link noteProvided}. Outside {@link byHand}
 * that costs one comparison. Inside, it throws an {@link AutodiffInByHandError} and remembers
 * the call, so `byHand` fails even when the code it ran caught the error:
 * ```ts
 * byHand("logreg-gradient", () => gradient(x0));
 * // throws when gradient() calls grad(f)(x): "logreg-gradient: your answer calls grad (autodiff) ..."
 * ```
 * A checker's own calls (the reference, autodiff of it, tracing the student's function to look
 * at its shapes) run outside any scope: only the student's code runs inside one.
 * The state lives in this module only (not on `globalThis`), so notebook code can neither read
 * nor reset it except through these functions.
 */
import { tr } from "../i18n/index.js";

/** Thrown when an answer that must be derived by hand runs autodiff or the provided function itself. */
export class AutodiffInByHandError extends Error {
  constructor(
    readonly what: string,
    readonly transform: string,
    /** `"autodiff"`: a transform or the graph API; `"provided"`: the function the exercise gives. */
    readonly kind: "autodiff" | "provided" = "autodiff",
  ) {
    super(
      kind === "provided"
        ? tr(
            "{what}: your answer calls {name}, the function you are asked to differentiate: finite differences or {name} itself do not count as a derivation; write the formula.",
            { what, name: transform },
          )
        : tr(
            "{what}: your answer calls {name} (autodiff); this exercise asks for the formula derived by hand. Write it with the library's ops (dot, mul, exp, ...) instead of grad, vjp, jvp, hvp, jacfwd, jacrev, hessian, valueAndGrad, gradcheck or the graph API (traceGraph, backward, backprop, forward, forwardTable, backwardGraph, graph).",
            { what, name: transform },
          ),
    );
    this.name = "AutodiffInByHandError";
  }
}

/** A by-hand scope (the student's code) and the first guarded call it saw. */
type Scope = { what: string; seen?: { name: string; kind: "autodiff" | "provided" } };

/** The scopes now open, innermost last. */
const scopes: Scope[] = [];

function note(name: string, kind: "autodiff" | "provided"): void {
  if (scopes.length === 0) return;
  const scope = scopes[scopes.length - 1]!;
  scope.seen ??= { name, kind };
  throw new AutodiffInByHandError(scope.what, name, kind);
}

/**
 * Called by every autodiff transform and graph function when it runs (not when it is created:
 * `grad(f)` alone is not a call, `grad(f)(x)` is). Throws inside a {@link byHand} scope.
 *
 * @example
 * noteTransform("grad"); // no-op outside byHand
 */
export function noteTransform(name: string): void {
  note(name, "autodiff");
}

/**
 * Called by a {@link provided} function when it runs. Throws inside a {@link byHand} scope.
 *
 * @example
 * noteProvided("f"); // no-op outside byHand
 */
export function noteProvided(name: string): void {
  note(name, "provided");
}

/**
 * Runs `fn` (a student's hand-derived formula) and returns its result; if `fn` runs any
 * autodiff transform, the graph API or a {@link provided} function, fails with an
 * {@link AutodiffInByHandError} naming `what` and the call, even when `fn` caught that error itself.
 *
 * @example
 * byHand("logreg-gradient", () => mul(sigmoid(dot(a, x)), a)); // fine
 * byHand("logreg-gradient", () => grad(f)(x));                 // throws AutodiffInByHandError
 */
export function byHand<T>(what: string, fn: () => T): T {
  const scope: Scope = { what };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    if (scope.seen !== undefined) throw new AutodiffInByHandError(what, scope.seen.name, scope.seen.kind);
    throw e;
  } finally {
    scopes.splice(scopes.lastIndexOf(scope), 1);
  }
  if (scope.seen !== undefined) throw new AutodiffInByHandError(what, scope.seen.name, scope.seen.kind);
  return result;
}

/**
 * The function a problem provides (the f to differentiate, a reference implementation), wrapped
 * so that calling it inside a by-hand answer fails as calling autodiff does (finite differences
 * of f, or `return reference(x)`, are not a derivation). Outside answers it is `fn` itself.
 *
 * @example
 * const f = provided("f", (x: Tensor) => log1p(exp(dot(a, x))));
 * f(x0);                         // the value, as usual
 * byHand("grad", () => f(x0));   // throws: "grad: your answer calls f, the function you are asked to differentiate: ..."
 */
export function provided<F extends (...args: never[]) => unknown>(name: string, fn: F): F {
  const wrapper = function (this: unknown, ...args: Parameters<F>): ReturnType<F> {
    noteProvided(name);
    return fn.apply(this, args) as ReturnType<F>;
  };
  Object.defineProperty(wrapper, "name", { value: fn.name || name });
  Object.defineProperty(wrapper, "length", { value: fn.length });
  return wrapper as unknown as F;
}
