/** @file Axis helpers shared by the reduction primitives (not a primitive; leading underscore). */
import type { Shape } from "../tensor/shape.js";
import { GradlabError } from "../tensor/errors.js";

/**
 * Validates sorted, unique, in-range axes (as produced by `normalizeAxes`) or throws naming the op.
 * @example checkAxes("sum", [0, 2], 3) // [0, 2]
 */
export function checkAxes(op: string, axes: readonly number[], ndim: number): readonly number[] {
  for (let i = 0; i < axes.length; i++) {
    const a = axes[i];
    if (!Number.isInteger(a) || a < 0 || a >= ndim || (i > 0 && a <= axes[i - 1])) {
      throw new GradlabError(`${op}: expected sorted unique axes in [0, ${ndim}), got [${axes.join(",")}]`);
    }
  }
  return axes;
}

/**
 * The input shape with reduced axes kept as length 1 (numpy keepdims).
 * @example keptDims([2, 3], [1]) // [2, 1]
 */
export function keptDims(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}
