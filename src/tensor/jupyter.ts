/** @file The display convention every renderable object follows, tensors first: a method under `Symbol.for("Jupyter.display")` returning a MIME bundle (display/mime.ts builds on it). */

/** A Jupyter MIME bundle: MIME type -> data (string for text types, JSON for `application/*+json`). */
export type MimeBundle = { [mime: string]: unknown };

/**
 * The display hook honoured by Deno's kernel, the gradlab kernel and (through gradlab's
 * wrapper) tslab: an object with this method renders as the bundle it returns.
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;
