/** @file `min` primitive: elementwise minimum with numpy broadcasting (ties split the derivative). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { binaryKernel } from "../tensor/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { valueMask } from "../tensor/mask.js";
import { selectRules } from "./_select.js";

/**
 * Weight of x in d min(x, y): 1 where x < y, 0 where x > y, 1/2 at ties (JAX and torch.minimum
 * split a tie too), NaN where either is NaN. Compared, not subtracted: a tie of two infinities
 * has weight 1/2, where sign(x - y) would give sign(∞ - ∞) = NaN.
 */
const share = (a: number, b: number) => (a < b ? 1 : a > b ? 0 : a === b ? 0.5 : NaN);
/** The weights as a concrete tensor (see `tensor/mask.ts`: a mask differentiates to zero). */
const weight = (x: Tensor, y: Tensor): Tensor => valueMask("minimum", x, y, share);

/** The scalar kernel, hoisted so no closure is allocated per call. */
const smaller = (a: number, b: number) => (a < b || Number.isNaN(a) ? a : b);

/** Elementwise minimum. @example bind(Primitive.Min, [x, y], NO_PARAMS) */
export const minDef: PrimitiveDef<Primitive.Min> = {
  doc: "elementwise minimum (broadcasting)",
  impl: ([x, y]) => binaryKernel("minimum", x, y, smaller),
  // d min(x, y) = w dx + (1 - w) dy with w = [x < y] (1/2 at ties)
  ...selectRules<Primitive.Min>(weight),
};
