/** @file Shared vitest setup: `toBeAllclose` for Float64 results, and the kernels' environment. */
import { expect } from "vitest";

// Kernels the tests start never build an executor snapshot in the background (a kernel with a heap
// size that has none would start a builder into dist/snapshot, and a later test's kernel would start
// from it or not depending on timing); test/kernel/snapshot-build.test.ts turns it on for its own folder.
process.env.GRADLAB_SNAPSHOT_BUILD ??= "0";

/** Default tolerances for comparing Float64 results (numpy.allclose semantics). */
export const RTOL = 1e-7;
export const ATOL = 1e-9;

type Nested = number | Nested[] | Float64Array | ArrayLike<number>;

function flatten(x: unknown, out: number[] = []): number[] {
  if (typeof x === "number") out.push(x);
  else if (x && typeof (x as { toArray?: unknown }).toArray === "function") flatten((x as { toArray(): unknown }).toArray(), out);
  else if (ArrayBuffer.isView(x)) out.push(...Array.from(x as unknown as ArrayLike<number>));
  else if (Array.isArray(x)) for (const v of x) flatten(v, out);
  else throw new Error(`toBeAllclose: cannot compare ${String(x)}`);
  return out;
}

expect.extend({
  toBeAllclose(received: unknown, expected: Nested | unknown, opts: { rtol?: number; atol?: number } = {}) {
    const rtol = opts.rtol ?? RTOL;
    const atol = opts.atol ?? ATOL;
    const a = flatten(received);
    const b = flatten(expected);
    if (a.length !== b.length) {
      return { pass: false, message: () => `expected ${b.length} numbers, got ${a.length}` };
    }
    for (let i = 0; i < a.length; i++) {
      const ok = Object.is(a[i], b[i]) || Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]);
      if (!ok) {
        return {
          pass: false,
          message: () => `entry ${i}: got ${a[i]}, expected ${b[i]} (rtol ${rtol}, atol ${atol})`,
        };
      }
    }
    return { pass: true, message: () => `expected values not to be allclose` };
  },
});

declare module "vitest" {
  // the augmentation must repeat vitest's own declaration, `Assertion<T = any>`, to merge with it
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> {
    toBeAllclose(expected: unknown, opts?: { rtol?: number; atol?: number }): T;
  }
}
