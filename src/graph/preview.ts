/** @file Compact, deterministic text previews of numbers and tensors (never printing a million entries). */
import { printPrecision } from "../tensor/print-options.js";
import type { Value } from "./types.js";
import { sizeOf } from "./types.js";
import { tr } from "../i18n/index.js";

/**
 * A number in at most `digits` significant digits (default: the `setPrintOptions` precision, or
 * 4): integers as is, tiny or huge values in exponent form, `NaN`, `Inf`, `-Inf` for non-finite
 * values.
 *
 * @example
 * formatNumber(0.1 + 0.2); // "0.3"
 * formatNumber(1 / 3, 3); // "0.333"
 */
export function formatNumber(x: number, digits = printPrecision(4)): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (Object.is(x, -0)) return "0";
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) {
    const [m, e] = x.toExponential(digits - 1).split("e");
    return `${trimZeros(m)}e${e}`;
  }
  return trimZeros(x.toPrecision(digits));
}

function trimZeros(s: string): string {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** Options for {@link previewValue}. */
export interface PreviewOptions {
  /** Show every entry when the tensor has at most this many (default 6). */
  threshold?: number;
  /** Entries kept at each end of a summarised axis (default 2). */
  edgeItems?: number;
  /** Significant digits (default: the `setPrintOptions` precision, or 4). */
  digits?: number;
}

/**
 * Numpy-style preview: nested brackets, axes longer than `2 * edgeItems` summarised with `…`
 * once the tensor has more than `threshold` entries. Costs O(entries shown), not O(size).
 *
 * @example
 * previewValue({ shape: [2], data: Float64Array.of(1, 2) }); // "[1, 2]"
 * previewValue({ shape: [1e6], data: new Float64Array(1e6) }); // "[0, 0, …, 0, 0]"
 */
export function previewValue(v: Value, opts: PreviewOptions = {}): string {
  const threshold = opts.threshold ?? 6;
  const edge = opts.edgeItems ?? 2;
  const digits = opts.digits ?? printPrecision(4);
  const summarise = sizeOf(v.shape) > threshold;
  const strides = v.shape.map((_, k) => sizeOf(v.shape.slice(k + 1)));
  const walk = (axis: number, offset: number): string => {
    if (axis === v.shape.length) return formatNumber(v.data[offset], digits);
    const n = v.shape[axis];
    const parts: string[] = [];
    const cut = summarise && n > 2 * edge;
    for (let i = 0; i < n; i++) {
      if (cut && i === edge) {
        parts.push("…");
        i = n - edge - 1;
        continue;
      }
      parts.push(walk(axis + 1, offset + i * strides[axis]));
    }
    return `[${parts.join(", ")}]`;
  };
  return walk(0, 0);
}

/**
 * A shape as text: `scalar` for rank 0, `[3, 4]` otherwise.
 *
 * @example
 * shapeText([3, 4]); // "[3, 4]"
 */
export function shapeText(shape: readonly number[]): string {
  return shape.length === 0 ? tr("scalar") : `[${shape.join(", ")}]`;
}
