/** @file `min` primitive: elementwise minimum with numpy broadcasting (ties split the derivative). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { mul, sub } from "../ops/arith.js";
import { sign } from "../ops/unary.js";
import { binaryKernel } from "../tensor/elementwise.js";
import type { Tensor } from "../tensor/tensor.js";
import { selectRules } from "./_select.js";

/** Weight of x in d min(x, y): 1 where x < y, 0 where x > y, 1/2 at ties. */
const weight = (x: Tensor, y: Tensor): Tensor => mul(sub(1, sign(sub(x, y))), 0.5);

/** The scalar kernel, hoisted so no closure is allocated per call. */
const smaller = (a: number, b: number) => (a < b || Number.isNaN(a) ? a : b);

/** Elementwise minimum. @example bind(Primitive.Min, [x, y], NO_PARAMS) */
export const minDef: PrimitiveDef<Primitive.Min> = {
  doc: "elementwise minimum (broadcasting)",
  impl: ([x, y]) => binaryKernel("minimum", x, y, smaller),
  // d min(x, y) = w dx + (1 - w) dy with w = [x < y] (1/2 at ties)
  ...selectRules<Primitive.Min>(weight),
};
