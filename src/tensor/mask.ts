/**
 * @file Masks read from the values of a rule's inputs (not a primitive; leading underscore).
 *
 * A mask is piecewise constant in the inputs, so its derivative is zero wherever it is defined;
 * the rules therefore use it as a concrete constant (level 0) even when the inputs are tracers,
 * and the rules built with it still differentiate again at every order. Tracers carry their
 * primal entries, so the values are always at hand.
 */
import { binaryKernel } from "./elementwise.js";
import type { Tensor } from "./tensor.js";

/**
 * `test(x, y)` entrywise over the numpy-broadcast shape of x and y, as a concrete tensor.
 * @example valueMask("pow", x, y, (a, b) => (a === 0 && b === 0 ? 1 : 0))
 */
export function valueMask(op: string, x: Tensor, y: Tensor, test: (a: number, b: number) => number): Tensor {
  return binaryKernel(op, x, y, test);
}

/**
 * True when some entry of the mask is neither 0 nor -0 (callers skip a mask that changes nothing,
 * so the common case computes exactly what it would without it).
 * @example anyNonzero(valueMask("pow", x, y, test))
 */
export function anyNonzero(mask: Tensor): boolean {
  if (mask.size === 1) return mask.first() !== 0;
  const m = mask._data;
  for (let i = 0; i < m.length; i++) if (m[i] !== 0) return true;
  return false;
}
