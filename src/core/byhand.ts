/**
 * @file Knowing when autodiff runs: the hook that lets a homework check tell a derivative
 * written by hand from one computed by `grad`, `vjp`, `jvp` or another transform.
 *
 * Every public transform (`grad`, `valueAndGrad`, `vjp`, `jvp`, `hvp`, `jacfwd`, `jacrev`,
 * `hessian`) and `gradcheck` calls {@link noteTransform} with its name each time it runs.
 * Outside {@link byHand} that costs one comparison. Inside, it throws an
 * {@link AutodiffInByHandError} and remembers the call, so `byHand` fails even when the code
 * it ran caught the error:
 * ```ts
 * byHand("logreg-gradient", () => gradient(x0));
 * // throws when gradient() calls grad(f)(x): "logreg-gradient: your answer calls grad (autodiff) ..."
 * ```
 * The state lives in this module only (not on `globalThis`), so notebook code can neither read
 * nor reset it except through these functions.
 */

/** Thrown when an answer that must be derived by hand runs an autodiff transform. */
export class AutodiffInByHandError extends Error {
  constructor(
    readonly what: string,
    readonly transform: string,
  ) {
    super(
      `${what}: your answer calls ${transform} (autodiff); this exercise asks for the formula derived by hand. ` +
        `Write it with the library's ops (dot, mul, exp, ...) instead of grad, vjp, jvp, hvp, jacfwd, jacrev, hessian, valueAndGrad or gradcheck.`,
    );
    this.name = "AutodiffInByHandError";
  }
}

/** The by-hand scopes now open (innermost last) and the first transform each saw. */
const scopes: { what: string; seen?: string }[] = [];

/**
 * Called by every autodiff transform when it runs (not when it is created: `grad(f)` alone is
 * not a call, `grad(f)(x)` is). Throws inside a {@link byHand} scope.
 *
 * @example
 * noteTransform("grad"); // no-op outside byHand
 */
export function noteTransform(name: string): void {
  if (scopes.length === 0) return;
  const scope = scopes[scopes.length - 1]!;
  scope.seen ??= name;
  throw new AutodiffInByHandError(scope.what, name);
}

/**
 * Runs `fn` (a student's hand-derived formula) and returns its result; if `fn` runs any
 * autodiff transform, fails with an {@link AutodiffInByHandError} naming `what` and the
 * transform, even when `fn` caught that error itself.
 *
 * @example
 * byHand("logreg-gradient", () => mul(sigmoid(dot(a, x)), a)); // fine
 * byHand("logreg-gradient", () => grad(f)(x));                 // throws AutodiffInByHandError
 */
export function byHand<T>(what: string, fn: () => T): T {
  const scope: { what: string; seen?: string } = { what };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    if (scope.seen !== undefined) throw new AutodiffInByHandError(what, scope.seen);
    throw e;
  } finally {
    scopes.splice(scopes.lastIndexOf(scope), 1);
  }
  if (scope.seen !== undefined) throw new AutodiffInByHandError(what, scope.seen);
  return result;
}
