/** @file The Tensor class and constructors: shapes, nested arrays, copies, errors. */
import { describe, expect, test } from "vitest";
import { Tensor, arange, asTensor, eye, full, grad, index, linspace, ones, sum, tensor, zeros } from "gradlab";

describe("Tensor", () => {
  test("from numbers, nested arrays and Float64Arrays, with shape/size/ndim", () => {
    const s = tensor(3);
    expect([s.shape, s.size, s.ndim, s.item()]).toEqual([[], 1, 0, 3]);
    const m = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect([m.shape, m.size, m.ndim]).toEqual([[2, 3], 6, 2]);
    expect(m.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const f = tensor(new Float64Array([1, 2, 3, 4]), [2, 2]);
    expect(f.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(tensor([]).shape).toEqual([0]);
  });

  test("typed arrays of numbers are copied to Float64, alone or nested; bigint ones are refused", () => {
    const f32 = new Float32Array([0.1, -2.5, 3]);
    const t = tensor(f32);
    expect(t.shape).toEqual([3]);
    // the Float32 values themselves, widened exactly (0.1f is 0.100000001490116...)
    expect(t.toArray()).toEqual([Math.fround(0.1), -2.5, 3]);
    f32[1] = 7;
    expect(t.toArray()).toEqual([Math.fround(0.1), -2.5, 3]);
    expect(tensor(new Int32Array([1, -2, 3, 4]), [2, 2]).toArray()).toEqual([
      [1, -2],
      [3, 4],
    ]);
    expect(tensor(new Uint8Array([255, 0])).toArray()).toEqual([255, 0]);
    // rows as typed arrays: accepted at run time (JavaScript callers), not in TensorLike's type
    expect(tensor([new Int16Array([1, 2]), new Int16Array([3, 4])] as unknown as number[][]).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(asTensor(new Uint16Array([5])).toArray()).toEqual([5]);
    expect(() => tensor(new BigInt64Array(2) as unknown as number[])).toThrow(
      "tensor: expected numbers, nested arrays of numbers or a typed array, got BigInt64Array (its entries are bigints: convert them with Number)",
    );
  });

  test("tensor() copies its input; toFloat64Array() returns a copy", () => {
    const src = new Float64Array([1, 2]);
    const t = tensor(src);
    src[0] = 9;
    expect(t.toArray()).toEqual([1, 2]);
    const out = t.toFloat64Array();
    out[1] = 9;
    expect(t.toArray()).toEqual([1, 2]);
  });

  test("asTensor passes tensors through and converts numbers and arrays", () => {
    const t = tensor([1]);
    expect(asTensor(t)).toBe(t);
    expect(asTensor(2).item()).toBe(2);
    expect(Object.is(asTensor(-0).item(), -0)).toBe(true);
    expect(asTensor([[1], [2]]).shape).toEqual([2, 1]);
  });

  test("constructors: zeros ones full eye arange linspace", () => {
    expect(zeros([2]).toArray()).toEqual([0, 0]);
    expect(ones([1, 2]).toArray()).toEqual([[1, 1]]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(arange(3).toArray()).toEqual([0, 1, 2]);
    expect(arange(1, 2, 0.5).toArray()).toEqual([1, 1.5]);
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  test("index counts negative indices from the end; out of range, the error quotes the index given", () => {
    const t = tensor([1, 2, 3]);
    expect([index(t, 0).item(), index(t, -1).item(), index(t, -3).item()]).toEqual([1, 3, 1]);
    // d/dx sum(x[-1] * x[-1]) = [0, 0, 2 x_2]
    expect(grad((x) => sum(index(x, -1).mul(index(x, -1))))(t).toArray()).toEqual([0, 0, 6]);
    expect(() => index(t, -5)).toThrow(
      "index: expected an index in [0, 3) for shape [3], got -5 (or from -3 to -1, counting from the end)",
    );
    expect(() => index(t, -4)).toThrow(/got -4 /);
    expect(() => index(t, 3)).toThrow("index: expected an index in [0, 3) for shape [3], got 3 (or from -3 to -1, counting from the end)");
    expect(() => index(t, 0.5)).toThrow(/got 0\.5 /);
    expect(() => index(zeros([0, 2]), -1)).toThrow("index: expected an index in [0, 0) for shape [0,2], got -1 (the axis is empty)");
    expect(() => index(tensor(3), 0)).toThrow("index: cannot index a scalar (shape []), got index 0");
  });

  test("bad input gets specific errors", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow("tensor: ragged nested array (expected length 2 at depth 1)");
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow("tensor: cannot view 3 entries as shape [2,2]");
    expect(() => tensor(["a"] as unknown as number[])).toThrow(
      'tensor: expected numbers, nested arrays of numbers or a typed array, got "a" (a string) at [0]',
    );
    expect(() =>
      tensor([
        [1, 2],
        [3, null],
      ] as unknown as number[][]),
    ).toThrow("tensor: expected numbers, got null at [1][1]");
    expect(() => tensor([[1], [[2]]] as unknown as number[][])).toThrow(
      "tensor: ragged nested array (expected a number at depth 2, got an array at [1][0])",
    );
    expect(() => tensor(new Set([1]) as unknown as number[])).toThrow(
      "tensor: expected numbers, nested arrays of numbers or a typed array, got Set",
    );
    expect(() => tensor([1, 2]).item()).toThrow("item: expected a tensor with one entry, got shape [2]");
    expect(() => zeros([-1])).toThrow("zeros: expected a shape of non-negative integers, got [-1]");
    expect(() => new Tensor(new Float64Array(3), [2])).toThrow("tensor: expected 2 entries for shape [2], got 3");
    expect(() => arange(0, 1, 0)).toThrow("arange: expected a finite non-zero step, got 0");
  });
});
