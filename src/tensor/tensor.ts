/** @file The `Tensor` class: immutable row-major Float64 storage plus shape; knows nothing of autodiff. */
import { JUPYTER_DISPLAY, type MimeBundle } from "./jupyter.js";
import { formatTensor, tensorHtml } from "./format.js";
import { sizeOf, type Shape } from "./shape.js";
import { GradlabError } from "./errors.js";
import { tr } from "../i18n/index.js";

/**
 * Storage that user code may hold and change at any time, by its buffer (views such as
 * `index`'s rows share their tensor's buffer): storage handed out by `Tensor.data`, or passed to
 * `new Tensor(...)` by its caller. A cache keyed by storage (the WebAssembly resident copies,
 * the Cholesky factors) keeps nothing for shared storage, so every result is computed from the
 * numbers as they are now.
 */
const shared = new WeakSet<ArrayBufferLike>();

/**
 * Whether user code may hold `a`'s storage (a cache must not keep a copy of it).
 * @example isShared(x.data) // true: `data` handed it out
 */
export function isShared(a: Float64Array): boolean {
  return shared.has(a.buffer);
}

/** The library's token for storage that no user code holds (internal: kernels' results). */
export const LIBRARY: unique symbol = Symbol("gradlab storage");

/**
 * A tensor over storage that only the library holds: a kernel's fresh result, or a view of a
 * tensor's own storage (internal; user code calls `tensor(...)` or `new Tensor(...)`).
 * @example wrap(new Float64Array([1, 2]), [2])
 */
export function wrap(data: Float64Array, shape: Shape): Tensor {
  return new Tensor(data, shape, 0, 0, LIBRARY);
}

/** Nested arrays of numbers, as produced by `toArray()` and accepted by `tensor()`. */
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional Float64 array. Ops never change their arguments: every op returns a new
 * tensor (possibly sharing storage, e.g. `reshape`); only user code writing to `data` changes
 * a tensor's numbers (docs/library.md). Tracers used by the transforms are subclasses, so a function
 * typed `(x: Tensor) => Tensor` works under `grad`, `jvp`, `hessian`, ...
 * @example
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * x.mul(2).sum().item(); // 20
 */
export class Tensor {
  /**
   * Storage, or `null` for a one-entry tensor kept unboxed in `_value` (internal: a long chain
   * of scalar ops would otherwise retain one typed array per op, and typed arrays are costly
   * for the garbage collector). Read entries through `data` / `item()` / `first()`.
   */
  _buf: Float64Array | null;
  /** The entry of an unboxed one-entry tensor (internal, see `_buf`). */
  _value: number;
  /** One length per axis; `[]` for a scalar. */
  readonly shape: Shape;
  /** Number of entries. */
  readonly size: number;
  /**
   * Trace level: 0 for a concrete tensor; a tracer carries its trace's level (see `core/trace.ts`).
   * `bind` dispatches to the trace of the highest-level argument.
   */
  readonly level: number;

  /** Whether `data` has handed this tensor's storage to user code (see {@link isShared}). */
  private _handedOut: boolean;

  /**
   * Wraps existing storage (no copy); the caller keeps the array, so its storage counts as
   * shared with user code (see {@link isShared}). Prefer `tensor(...)` in user code.
   * @example new Tensor(new Float64Array([1, 2]), [2])
   */
  constructor(data: Float64Array | null, shape: Shape, level = 0, value = 0, owner?: typeof LIBRARY) {
    this._buf = data;
    this._value = value;
    this.shape = shape;
    this.size = data === null ? 1 : data.length;
    this.level = level;
    this._handedOut = false;
    if (level === 0 && data !== null) {
      if (sizeOf(shape) !== data.length) {
        throw new GradlabError(`tensor: expected ${sizeOf(shape)} entries for shape [${shape.join(",")}], got ${data.length}`);
      }
      if (owner !== LIBRARY) shared.add(data.buffer);
    }
  }

  /**
   * A one-entry tensor without allocating storage (shape `[]` by default, or e.g. `[1, 1]`).
   * @example Tensor.scalar(2).item() // 2
   */
  static scalar(value: number, shape: Shape = []): Tensor {
    return new Tensor(null, shape, 0, value, LIBRARY);
  }

  /**
   * Row-major entries: the tensor's own storage, not a copy. Writing to them changes this tensor
   * and every tensor that shares its storage (`reshape`, `index`, ...), and every later result
   * computed from them; no cache keeps the old numbers (see {@link isShared}).
   */
  get data(): Float64Array {
    const b = this._data;
    if (!this._handedOut) {
      this._handedOut = true;
      shared.add(b.buffer);
    }
    return b;
  }

  /** The entries for the library's own kernels: `data` without handing the storage to user code (internal). */
  get _data(): Float64Array {
    let b = this._buf;
    if (b === null) {
      b = new Float64Array(1);
      b[0] = this._value;
      this._buf = b;
    }
    return b;
  }

  /**
   * The first entry, without materialising storage (kernels' scalar fast path).
   * @example tensor([4, 5]).first() // 4
   */
  first(): number {
    const b = this._buf;
    return b === null ? this._value : b[0];
  }

  /** Number of axes. @example tensor([[1, 2]]).ndim // 2 */
  get ndim(): number {
    return this.shape.length;
  }

  /**
   * The single entry of a size-1 tensor (a tracer returns its concrete primal value).
   * @example tensor(3).item() // 3
   */
  item(): number {
    if (this.size !== 1)
      throw new GradlabError(`item: ${tr("expected a tensor with one entry, got shape [{shape}]", { shape: this.shape.join(",") })}`);
    return this.first();
  }

  /**
   * Entries as nested arrays (a number for a scalar).
   * @example tensor([[1, 2]]).toArray() // [[1, 2]]
   */
  toArray(): NestedArray {
    const shape = this.shape;
    if (shape.length === 0) return this.first();
    const data = this._data;
    const build = (axis: number, offset: number, stride: number): NestedArray[] => {
      const n = shape[axis];
      const inner = stride / n;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = axis === shape.length - 1 ? data[offset + i] : build(axis + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, data.length);
  }

  /**
   * A fresh copy of the entries.
   * @example tensor([1, 2]).toFloat64Array() // Float64Array [1, 2]
   */
  toFloat64Array(): Float64Array {
    return this._data.slice();
  }

  /** numpy-like text (large tensors summarised with `...`). @example String(tensor([1, 2])) // "tensor([1., 2.])" */
  toString(): string {
    return formatTensor(this._data, this.shape);
  }

  /** Node's `util.inspect` / console.log rendering. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /**
   * Notebook rendering: numpy-like text and a small HTML table.
   * @example tensor([1, 2])[JUPYTER_DISPLAY]()["text/plain"] // "tensor([1., 2.])"
   */
  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": tensorHtml(this._data, this.shape) };
  }
}
