/** @file `max` primitive: elementwise maximum with numpy broadcasting (ties split the derivative). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { binaryKernel } from "../tensor/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { valueMask } from "../tensor/mask.js";
import { selectRules } from "./_select.js";

/**
 * Weight of x in d max(x, y): 1 where x > y, 0 where x < y, 1/2 at ties (JAX and torch.maximum
 * split a tie too), NaN where either is NaN. Compared, not subtracted: a tie of two infinities
 * has weight 1/2, where sign(x - y) would give sign(∞ - ∞) = NaN.
 */
const share = (a: number, b: number) => (a > b ? 1 : a < b ? 0 : a === b ? 0.5 : NaN);
/** The weights as a concrete tensor (see `tensor/mask.ts`: a mask differentiates to zero). */
const weight = (x: Tensor, y: Tensor): Tensor => valueMask("maximum", x, y, share);

/** The scalar kernel, hoisted so no closure is allocated per call. */
const larger = (a: number, b: number) => (a > b || Number.isNaN(a) ? a : b);

/** Elementwise maximum. @example bind(Primitive.Max, [x, y], NO_PARAMS) */
export const maxDef: PrimitiveDef<Primitive.Max> = {
  doc: "elementwise maximum (broadcasting)",
  impl: ([x, y]) => binaryKernel("maximum", x, y, larger),
  // d max(x, y) = w dx + (1 - w) dy with w = [x > y] (1/2 at ties)
  ...selectRules<Primitive.Max>(weight),
};
