/** @file The first-fit allocator of the SIMD kernels' WebAssembly memory (src/tensor/simd-heap.ts). */
import { describe, expect, test } from "vitest";
import { Heap, type WasmMemory } from "../../../src/tensor/simd-heap.js";

const PAGE = 65536;

/** A stand-in memory: grows by whole pages, or refuses beyond `maxPages` (as a full memory does). */
function fakeMemory(pages: number, maxPages = 1 << 16): WasmMemory & { grows: number } {
  let buffer = new ArrayBuffer(pages * PAGE);
  return {
    get buffer() {
      return buffer;
    },
    grows: 0,
    grow(delta: number) {
      const before = buffer.byteLength / PAGE;
      if (before + delta > maxPages) throw new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded");
      buffer = new ArrayBuffer((before + delta) * PAGE);
      this.grows++;
      return before;
    },
  };
}

describe("Heap", () => {
  test("hands out 16-byte aligned, disjoint blocks after the two threads' 64-byte scratch blocks", () => {
    const heap = new Heap(fakeMemory(1));
    const a = heap.alloc(8);
    const b = heap.alloc(24);
    const c = heap.alloc(100);
    expect([a, b, c]).toEqual([128, 144, 176]);
  });

  test("released blocks coalesce, so a freed run is reused whole", () => {
    const heap = new Heap(fakeMemory(1));
    const a = heap.alloc(1000);
    const b = heap.alloc(1000);
    heap.alloc(16);
    heap.release(a, 1000);
    heap.release(b, 1000);
    expect(heap.alloc(2000)).toBe(a);
  });

  test("grows the memory when nothing fits, and reports -1 when it cannot grow", () => {
    const memory = fakeMemory(1, 4);
    const heap = new Heap(memory);
    const big = heap.alloc(2 * PAGE);
    expect(big).toBe(128);
    expect(memory.grows).toBe(1);
    expect(heap.alloc(16 * PAGE)).toBe(-1);
    heap.release(big, 2 * PAGE);
    expect(heap.alloc(2 * PAGE)).toBe(128);
  });
});
