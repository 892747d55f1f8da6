/** @file Square-matrix validation shared by the linear-algebra primitives (not a primitive; leading underscore). */
import { shapeStr } from "../tensor/shape.js";
import type { Tensor } from "../tensor/tensor.js";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

/**
 * Returns n for an n x n matrix, else throws `<op>: expected a square matrix, got [..]`.
 * @example squareSize("inv", eye(3)) // 3
 */
export function squareSize(op: string, x: Tensor): number {
  if (x.ndim !== 2 || x.shape[0] !== x.shape[1])
    throw new GradlabError(`${op}: ${tr("expected a square matrix, got {shape}", { shape: shapeStr(x.shape) })}`);
  return x.shape[0];
}
