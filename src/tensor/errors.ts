/**
 * @file The library's errors: a message `op: detail` names the operation that failed, and
 * {@link GradlabError} carries both parts as fields, so that callers (the kernel's magics) choose
 * what to show without reading the message.
 */

/** Marks gradlab's errors across copies of the package (a notebook's own install is another copy of the class). */
const MARK = Symbol.for("gradlab.error");

/**
 * An error of one of gradlab's operations. The message keeps the library's form `op: detail`;
 * `op` and `detail` are its two parts (`op` is "" when the message names none). `name` stays
 * "Error", so what a user sees is unchanged.
 *
 * @example
 * const e = new GradlabError("traceGraph: expected a function, got number");
 * [e.op, e.detail]; // ["traceGraph", "expected a function, got number"]
 */
export class GradlabError extends Error {
  readonly op: string;
  readonly detail: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    const m = /^([A-Za-z_$][\w$.]*): /.exec(message);
    this.op = m ? m[1] : "";
    this.detail = m ? message.slice(m[0].length) : message;
    Object.defineProperty(this, MARK, { value: true });
  }
}

/**
 * The op and detail of a gradlab error (from any copy of the package), or undefined for any other value.
 *
 * @example
 * errorParts(new GradlabError("graph: expected a function")); // { op: "graph", detail: "expected a function" }
 */
export function errorParts(e: unknown): { op: string; detail: string } | undefined {
  if (typeof e !== "object" || e === null || (e as Record<symbol, unknown>)[MARK] !== true) return undefined;
  const { op, detail } = e as GradlabError;
  return { op, detail };
}
