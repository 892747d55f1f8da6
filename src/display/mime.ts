/** @file MIME bundles and the `Symbol.for("Jupyter.display")` convention shared by every renderable object. */

/** A Jupyter MIME bundle: MIME type -> data (string for text types, JSON for `application/*+json`). */
export type MimeBundle = { [mime: string]: unknown };

/**
 * The display hook honoured by Deno's kernel, the gradlab kernel and (through gradlab's
 * wrapper) tslab: an object with this method renders as the bundle it returns.
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** An object that renders itself in a notebook. */
export interface Displayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

/** True when `x` carries a `Symbol.for("Jupyter.display")` method. */
export function isDisplayable(x: unknown): x is Displayable {
  return (
    (typeof x === "object" || typeof x === "function") &&
    x !== null &&
    typeof (x as Record<PropertyKey, unknown>)[JUPYTER_DISPLAY] === "function"
  );
}
