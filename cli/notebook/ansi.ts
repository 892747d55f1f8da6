/** @file Terminal colour codes in notebook text: kernels colour their tracebacks, pages and summaries show them plain. */

// eslint-disable-next-line no-control-regex -- ANSI escape sequences start with the ESC control character
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Removes terminal colour codes (IPython and tslab colour their tracebacks).
 *
 * @example
 * stripAnsi("\x1b[31mError\x1b[0m"); // "Error"
 */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, "");
}
