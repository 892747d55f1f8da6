/**
 * @file A magic context for tests that run a magic's handler in-process: it evaluates plain
 * JavaScript expressions in `scope` and records each display as the kernel shows it (the value's
 * MIME bundle). `overrides` replace any member (a test's own evaluate, stdout, ...).
 */
import { MagicRegistry, type MagicContext } from "../../kernel/magics/registry.js";
import { JUPYTER_DISPLAY, type MimeBundle } from "../../src/display/mime.js";

export function fakeMagicContext(
  scope: Record<string, unknown>,
  overrides: Partial<MagicContext> = {},
): MagicContext & { shown: MimeBundle[] } {
  const shown: MimeBundle[] = [];
  const names = Object.keys(scope);
  return {
    shown,
    evaluate: async (code) => new Function(...names, `return (${code});`)(...names.map((n) => scope[n])),
    runCell: async () => undefined,
    display: (v) => shown.push((v as { [JUPYTER_DISPLAY](): MimeBundle })[JUPYTER_DISPLAY]()),
    displayBundle: (b) => shown.push(b),
    stdout: () => {},
    stderr: () => {},
    scope: () => scope,
    registry: new MagicRegistry(),
    cwd: ".",
    signal: new AbortController().signal,
    interruptible: (fn) => fn(),
    ...overrides,
  };
}
