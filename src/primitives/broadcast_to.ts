/** @file `broadcast_to` primitive: numpy broadcasting of one tensor to a target shape. */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { broadcastTo, sumToShape } from "../ops/shape.js";
import { broadcastData } from "../tensor/elementwise.js";
import { broadcastShapes, sameShape, shapeStr } from "../tensor/shape.js";
import { wrap } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";

/** Broadcast. @example bind(Primitive.BroadcastTo, [x], { shape: [3, 2] }) */
export const broadcastToDef: PrimitiveDef<Primitive.BroadcastTo> = {
  doc: "broadcast to a shape",
  impl([x], { shape }) {
    const ok = x.ndim <= shape.length && sameShape(broadcastShapes("broadcastTo", x.shape, shape), shape);
    if (!ok) throw new GradlabError(`broadcastTo: cannot broadcast ${shapeStr(x.shape)} to ${shapeStr(shape)}`);
    return wrap(broadcastData(x, shape), shape);
  },
  // linear: d broadcast(x) = broadcast(dx)
  jvp: (_, [xDot], { shape }) => broadcastTo(xDot!, shape),
  // xBar = yBar summed over the broadcast axes
  vjp: (yBar, [x]) => [sumToShape(yBar, x.shape)],
};
