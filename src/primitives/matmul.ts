/** @file `matmul` primitive: matrix product of 1-D/2-D operands (numpy matmul semantics). */
import { Primitive, type PrimitiveDef } from "../core/primitive.js";
import { add, mul } from "../ops/arith.js";
import { matmul, outer } from "../ops/linalg.js";
import { transpose } from "../ops/shape.js";
import { matmulKernel, matmulPairKernel } from "../tensor/matmul.js";
import type { Tensor } from "../tensor/tensor.js";

/** Cotangent of the left operand a in y = a @ b. */
function leftBar(yBar: Tensor, a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 1 && b.ndim === 1) return mul(yBar, b); // y = <a, b>: aBar = yBar b
  if (a.ndim === 2 && b.ndim === 1) return outer(yBar, b); // y = A b: ABar = yBar b^T
  if (a.ndim === 1) return matmul(b, yBar); // y = a^T B: aBar = B yBar
  return matmul(yBar, transpose(b)); // Y = A B: ABar = YBar B^T
}

/** Cotangent of the right operand b in y = a @ b. */
function rightBar(yBar: Tensor, a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 1 && b.ndim === 1) return mul(yBar, a); // bBar = yBar a
  if (a.ndim === 2 && b.ndim === 1) return matmul(yBar, a); // bBar = A^T yBar, as a row-major yBar^T A
  if (a.ndim === 1) return outer(a, yBar); // BBar = a yBar^T
  return matmul(transpose(a), yBar); // BBar = A^T YBar
}

/** Matrix product. @example bind(Primitive.MatMul, [A, x], NO_PARAMS) */
export const matmulDef: PrimitiveDef<Primitive.MatMul> = {
  doc: "matrix product",
  impl: ([a, b]) => matmulKernel(a, b),
  // d(A B) = dA B + A dB; with a constant A only A dB is formed (symbolic zero)
  jvp: ([a, b], [aDot, bDot]) => (aDot && bDot ? add(matmul(aDot, b), matmul(a, bDot)) : aDot ? matmul(aDot, b) : matmul(a, bDot!)),
  // [A b, A bDot] or [a B, aDot B] for a constant matrix: one sweep over it (the HVP's products)
  implJvp: ([a, b], [aDot, bDot]) =>
    aDot === null && bDot !== null
      ? matmulPairKernel(a, b, bDot, "left")
      : aDot !== null && bDot === null
        ? matmulPairKernel(b, a, aDot, "right")
        : undefined,
  // ABar = YBar B^T, BBar = A^T YBar; each computed only when wanted
  vjp: (yBar, [a, b], _y, _params, [wa, wb]) => [wa ? leftBar(yBar, a, b) : null, wb ? rightBar(yBar, a, b) : null],
};
