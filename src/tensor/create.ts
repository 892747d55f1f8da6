/** @file Constructors: `tensor`, `asTensor`, `zeros`, `ones`, `full`, `eye`, `arange`, `linspace`. */
import { checkShape, sizeOf } from "./shape.js";
import { Tensor, type NestedArray, wrap } from "./tensor.js";
import { GradlabError } from "./errors.js";

/**
 * Typed arrays whose entries are numbers: `tensor` copies them to Float64 (BigInt64Array and
 * BigUint64Array hold bigints and are refused).
 */
export type NumericTypedArray =
  Float64Array | Float32Array | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** Anything accepted where a tensor is expected: a tensor, a number, nested arrays or a typed array. */
export type TensorLike = Tensor | number | NestedArray | NumericTypedArray | readonly number[];

function isNumericTypedArray(x: unknown): x is NumericTypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

/** A level of nesting: an array, or a typed array (whose entries are numbers). */
function isLevel(x: unknown): x is readonly unknown[] | NumericTypedArray {
  return Array.isArray(x) || isNumericTypedArray(x);
}

/** What a value is, for an error message: `"a" (a string)`, `null`, `Set`, `BigInt64Array`. */
function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === "string") return `${JSON.stringify(x)} (a string)`;
  if (typeof x === "function") return "a function";
  if (typeof x !== "object") return `${String(x)} (a ${typeof x})`;
  return (x as object).constructor?.name ?? "an object";
}

/** Why `x` is not a number: the bigint typed arrays get a hint. */
function notNumber(x: unknown): string {
  const hint = x instanceof BigInt64Array || x instanceof BigUint64Array ? " (its entries are bigints: convert them with Number)" : "";
  return `${describe(x)}${hint}`;
}

/** `[1][0]`: where an entry sits in the nested input. */
const at = (path: readonly number[]): string => (path.length === 0 ? "" : ` at [${path.join("][")}]`);

function inferShape(op: string, data: unknown, shape: number[]): void {
  if (typeof data === "number") return;
  if (!isLevel(data)) {
    const where = at(shape.map(() => 0));
    throw new GradlabError(`${op}: expected numbers, nested arrays of numbers or a typed array, got ${notNumber(data)}${where}`);
  }
  shape.push(data.length);
  if (data.length > 0) inferShape(op, data[0], shape);
}

function fill(op: string, data: unknown, shape: number[], path: number[], out: Float64Array, pos: number): number {
  const axis = path.length;
  if (axis === shape.length) {
    if (typeof data === "number") {
      out[pos] = data;
      return pos + 1;
    }
    if (isLevel(data)) throw new GradlabError(`${op}: ragged nested array (expected a number at depth ${axis}, got an array${at(path)})`);
    throw new GradlabError(`${op}: expected numbers, got ${notNumber(data)}${at(path)}`);
  }
  if (!isLevel(data) || data.length !== shape[axis]) {
    throw new GradlabError(`${op}: ragged nested array (expected length ${shape[axis]} at depth ${axis})`);
  }
  for (let i = 0; i < data.length; i++) {
    path.push(i);
    pos = fill(op, data[i], shape, path, out, pos);
    path.pop();
  }
  return pos;
}

/**
 * Makes a Float64 tensor from a number, nested arrays or a typed array of numbers (copied, as
 * Float64), optionally reshaped to `shape`. Inside `grad`, `jvp`, ... a traced tensor stays
 * traced (its reshape), so the derivative flows through it.
 * @example
 * tensor([[1, 2], [3, 4]]).shape; // [2, 2]
 * tensor(new Float64Array(6), [2, 3]).shape; // [2, 3]
 * tensor(new Float32Array([0.5, 2])).toArray(); // [0.5, 2]
 */
export function tensor(data: TensorLike, shape?: readonly number[]): Tensor {
  // A traced value stays traced (as jnp.array does): a copy of it would be a constant to every
  // transform, and its gradient a silent zero. Tensors are immutable, so the value itself serves.
  if (data instanceof Tensor && data.level > 0) return shape === undefined ? data : data.reshape(shape);
  let t: Tensor;
  if (data instanceof Tensor) t = wrap(data._data.slice(), data.shape);
  else if (typeof data === "number") t = wrap(Float64Array.of(data), []);
  else if (data instanceof Float64Array) t = wrap(data.slice(), [data.length]);
  else if (isNumericTypedArray(data)) t = wrap(Float64Array.from(data), [data.length]);
  else {
    const s: number[] = [];
    inferShape("tensor", data, s);
    const out = new Float64Array(sizeOf(s));
    fill("tensor", data, s, [], out, 0);
    t = wrap(out, s);
  }
  if (shape === undefined) return t;
  const s = checkShape("tensor", shape);
  if (sizeOf(s) !== t.size) {
    throw new GradlabError(`tensor: cannot view ${t.size} entries as shape [${s.join(",")}]`);
  }
  return wrap(t._data, s);
}

/** Scalar constants are immutable, so a small cache lets `mul(x, 2)` reuse one tensor for 2. */
const SCALAR_CACHE_SIZE = 512;
const scalarCache = new Map<number, Tensor>();

function scalar(v: number): Tensor {
  let t = scalarCache.get(v);
  // user code may have written to a cached constant's entries through `data`
  if (t === undefined || Object.is(v, -0) || !Object.is(t.first(), v)) {
    t = Tensor.scalar(v);
    if (Object.is(v, -0)) return t; // the map would conflate -0 with 0
    if (scalarCache.size >= SCALAR_CACHE_SIZE) scalarCache.clear();
    scalarCache.set(v, t);
  }
  return t;
}

/**
 * Returns `x` itself when it is already a tensor (tracers included), else `tensor(x)`; `op`
 * names the caller in the error for anything else.
 * @example asTensor(2).shape // []
 */
export function asTensor(x: TensorLike, op = "tensor"): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x === "number") return scalar(x);
  if (!Array.isArray(x) && !isNumericTypedArray(x)) {
    const got = x === null ? "null" : typeof x === "object" ? ((x as object).constructor?.name ?? "object") : typeof x;
    throw new GradlabError(`${op}: expected a tensor, a number or nested arrays of numbers, got ${got}`);
  }
  return tensor(x);
}

/**
 * A tensor of the given shape filled with `value`.
 * @example full([2], 7).toArray() // [7, 7]
 */
export function full(shape: readonly number[], value: number): Tensor {
  const s = checkShape("full", shape);
  return wrap(new Float64Array(sizeOf(s)).fill(value), s);
}

/** Zeros of the given shape. @example zeros([2, 2]).sum().item() // 0 */
export function zeros(shape: readonly number[]): Tensor {
  const s = checkShape("zeros", shape);
  return wrap(new Float64Array(sizeOf(s)), s);
}

/** Ones of the given shape. @example ones([3]).toArray() // [1, 1, 1] */
export function ones(shape: readonly number[]): Tensor {
  return full(checkShape("ones", shape), 1);
}

/**
 * The n x n identity matrix (or n x m with ones on the main diagonal).
 * @example eye(2).toArray() // [[1, 0], [0, 1]]
 */
export function eye(n: number, m: number = n): Tensor {
  checkShape("eye", [n, m]);
  const out = new Float64Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) out[i * m + i] = 1;
  return wrap(out, [n, m]);
}

/**
 * `[start, start+step, ...)` below `stop` (numpy's arange).
 * @example arange(3).toArray() // [0, 1, 2]
 */
export function arange(start: number, stop?: number, step = 1): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new GradlabError(`arange: expected a finite non-zero step, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return wrap(out, [n]);
}

/**
 * `num` evenly spaced points from `start` to `stop` inclusive.
 * @example linspace(0, 1, 3).toArray() // [0, 0.5, 1]
 */
export function linspace(start: number, stop: number, num = 50): Tensor {
  if (!Number.isInteger(num) || num < 0) throw new GradlabError(`linspace: expected a non-negative integer count, got ${num}`);
  const out = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (num > 1) out[num - 1] = stop;
  return wrap(out, [num]);
}
