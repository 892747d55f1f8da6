/** @file `reduce_sum` primitive: sum over sorted, unique axes (which are removed from the shape). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { bind } from "../core/trace.js";
import { broadcastTo, reshape } from "../ops/shape.js";
import { reduceSumKernel } from "../tensor/reduce.js";
import { checkAxes, keptDims } from "./_axes.js";

/** Sum over axes. @example bind(Primitive.ReduceSum, [x], { axes: [0] }) */
export const reduceSumDef: PrimitiveDef<Primitive.ReduceSum> = {
  doc: "sum over axes",
  impl: ([x], { axes }) => reduceSumKernel(x, checkAxes("sum", axes, x.ndim)),
  // d sum(x) = sum(dx)
  jvp: (_, [xDot], params) => bind(Primitive.ReduceSum, [xDot!], params),
  // xBar = yBar broadcast back along the summed axes
  vjp: (yBar, [x], _out, { axes }) => [broadcastTo(reshape(yBar, keptDims(x.shape, axes)), x.shape)],
};
