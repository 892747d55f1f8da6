/**
 * @file Tensor methods mirroring the op functions (`x.mul(y).sum()`), attached to the prototype
 * here so that `src/tensor/` stays free of autodiff. Tracers inherit them.
 */
import { type TensorLike } from "../tensor/create.js";
import { Tensor } from "../tensor/tensor.js";
import { add, div, maximum, minimum, mul, neg, pow, sub } from "./arith.js";
import { cholesky, det, diag, dot, inv, logdet, matmul, norm, outer, solve, trace } from "./linalg.js";
import { relu, softplus, square } from "./nn.js";
import { max, mean, sum, type Axis } from "./reduce.js";
import { index, reshape, transpose } from "./shape.js";
import { abs, cos, exp, expm1, log, log1p, sigmoid, sign, sin, sqrt, tanh } from "./unary.js";

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** `add(this, y)` @example x.add(1) */
    add(y: TensorLike): Tensor;
    /** `sub(this, y)` @example x.sub(1) */
    sub(y: TensorLike): Tensor;
    /** `mul(this, y)` @example x.mul(2) */
    mul(y: TensorLike): Tensor;
    /** `div(this, y)` @example x.div(2) */
    div(y: TensorLike): Tensor;
    /** `pow(this, y)` @example x.pow(2) */
    pow(y: TensorLike): Tensor;
    /** `maximum(this, y)` @example x.maximum(0) */
    maximum(y: TensorLike): Tensor;
    /** `minimum(this, y)` @example x.minimum(0) */
    minimum(y: TensorLike): Tensor;
    /** `neg(this)` @example x.neg() */
    neg(): Tensor;
    /** `square(this)` @example x.square() */
    square(): Tensor;
    /** `sqrt(this)` @example x.sqrt() */
    sqrt(): Tensor;
    /** `exp(this)` @example x.exp() */
    exp(): Tensor;
    /** `log(this)` @example x.log() */
    log(): Tensor;
    /** `log1p(this)` @example x.log1p() */
    log1p(): Tensor;
    /** `expm1(this)` @example x.expm1() */
    expm1(): Tensor;
    /** `sin(this)` @example x.sin() */
    sin(): Tensor;
    /** `cos(this)` @example x.cos() */
    cos(): Tensor;
    /** `tanh(this)` @example x.tanh() */
    tanh(): Tensor;
    /** `sigmoid(this)` @example x.sigmoid() */
    sigmoid(): Tensor;
    /** `softplus(this)` @example x.softplus() */
    softplus(): Tensor;
    /** `relu(this)` @example x.relu() */
    relu(): Tensor;
    /** `abs(this)` @example x.abs() */
    abs(): Tensor;
    /** `sign(this)` @example x.sign() */
    sign(): Tensor;
    /** `sum(this, axis, keepdims)` @example x.sum(0) */
    sum(axis?: Axis, keepdims?: boolean): Tensor;
    /** `mean(this, axis, keepdims)` @example x.mean() */
    mean(axis?: Axis, keepdims?: boolean): Tensor;
    /** `max(this, axis, keepdims)` @example x.max() */
    max(axis?: Axis, keepdims?: boolean): Tensor;
    /** `dot(this, y)` @example x.dot(y) */
    dot(y: TensorLike): Tensor;
    /** `matmul(this, y)` @example A.matmul(x) */
    matmul(y: TensorLike): Tensor;
    /** `outer(this, y)` @example a.outer(b) */
    outer(y: TensorLike): Tensor;
    /** `transpose(this, axes)` @example A.transpose() */
    transpose(axes?: readonly number[]): Tensor;
    /** `reshape(this, shape)` @example x.reshape([2, -1]) */
    reshape(shape: readonly number[]): Tensor;
    /** `index(this, i)`: the slice along the leading axis @example A.index(0) */
    index(i: number): Tensor;
    /** `trace(this)` @example A.trace() */
    trace(): Tensor;
    /** `diag(this)` @example v.diag() */
    diag(): Tensor;
    /** `norm(this)` @example x.norm() */
    norm(): Tensor;
    /** `inv(this)` @example A.inv() */
    inv(): Tensor;
    /** `solve(this, b)` @example A.solve(b) */
    solve(b: TensorLike): Tensor;
    /** `det(this)` @example A.det() */
    det(): Tensor;
    /** `logdet(this)` @example X.logdet() */
    logdet(): Tensor;
    /** `cholesky(this)` @example X.cholesky() */
    cholesky(): Tensor;
  }
}

const binary = { add, sub, mul, div, pow, maximum, minimum, dot, matmul, outer, solve };
const unary = {
  neg,
  square,
  sqrt,
  exp,
  log,
  log1p,
  expm1,
  sin,
  cos,
  tanh,
  sigmoid,
  softplus,
  relu,
  abs,
  sign,
  trace,
  diag,
  norm,
  inv,
  det,
  logdet,
  cholesky,
};
const proto = Tensor.prototype as unknown as Record<string, unknown>;
for (const [name, fn] of Object.entries(binary)) {
  proto[name] = function (this: Tensor, y: TensorLike) {
    return fn(this, y);
  };
}
for (const [name, fn] of Object.entries(unary)) {
  proto[name] = function (this: Tensor) {
    return fn(this);
  };
}
Tensor.prototype.sum = function (axis?: Axis, keepdims?: boolean) {
  return sum(this, axis, keepdims);
};
Tensor.prototype.mean = function (axis?: Axis, keepdims?: boolean) {
  return mean(this, axis, keepdims);
};
Tensor.prototype.max = function (axis?: Axis, keepdims?: boolean) {
  return max(this, axis, keepdims);
};
Tensor.prototype.transpose = function (axes?: readonly number[]) {
  return transpose(this, axes);
};
Tensor.prototype.reshape = function (shape: readonly number[]) {
  return reshape(this, shape);
};
Tensor.prototype.index = function (i: number) {
  return index(this, i);
};
