/** @file Shape utilities: sizes, strides, numpy broadcasting and axis normalisation (no autodiff here). */
import { GradlabError } from "./errors.js";
import { tr } from "../i18n/index.js";

/** A tensor shape: one non-negative integer per axis; `[]` is a scalar. */
export type Shape = readonly number[];

/**
 * Number of entries of a shape (1 for a scalar).
 * @example sizeOf([2, 3]) // 6
 */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/**
 * Row-major strides of a shape.
 * @example stridesOf([2, 3]) // [3, 1]
 */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/**
 * Renders a shape the way error messages quote it.
 * @example shapeStr([3, 4]) // "[3,4]"
 */
export function shapeStr(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

/**
 * True when two shapes are identical.
 * @example sameShape([2], [2]) // true
 */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The numpy broadcast of two shapes, or an error naming the op and both shapes.
 * @example broadcastShapes("add", [3, 1], [4]) // [3, 4]
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): Shape {
  if (sameShape(a, b)) return a;
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new GradlabError(`${op}: ${tr("shapes cannot be broadcast: {a} and {b}", { a: shapeStr(a), b: shapeStr(b) })}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides for reading a tensor of shape `from` as if it had the (broadcast) shape `to`:
 * broadcast axes get stride 0.
 * @example broadcastStrides([3, 1], [2, 3, 4]) // [0, 1, 0]
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const own = stridesOf(from);
  const out = new Array<number>(to.length).fill(0);
  const off = to.length - from.length;
  for (let i = 0; i < from.length; i++) out[i + off] = from[i] === 1 ? 0 : own[i];
  return out;
}

/**
 * Normalises one axis (negative counts from the end) or throws naming the op.
 * @example normalizeAxis("sum", -1, 2) // 1
 */
function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new GradlabError(`${op}: expected an axis in [${-ndim}, ${ndim}), got ${axis}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalised, sorted, unique axes; `undefined` means all axes.
 * @example normalizeAxes("sum", [-1, 0], 3) // [0, 2]
 */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, ndim: number): number[] {
  if (axes === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, ndim)))];
  return out.sort((p, q) => p - q);
}

/**
 * Validates a shape given by a user (non-negative integers) or throws naming the op.
 * @example checkShape("zeros", [2, 3]) // [2, 3]
 */
export function checkShape(op: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new GradlabError(`${op}: expected a shape of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return [...shape];
}
