/** @file MIME bundles and the `Symbol.for("Jupyter.display")` convention shared by every renderable object. */

export { JUPYTER_DISPLAY, type MimeBundle } from "../tensor/jupyter.js";
import { JUPYTER_DISPLAY, type MimeBundle } from "../tensor/jupyter.js";

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
