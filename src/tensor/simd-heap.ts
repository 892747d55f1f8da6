/**
 * @file Allocation of a WebAssembly memory for the SIMD kernels (simd.ts): first fit over free
 * ranges kept sorted and coalesced, growing the memory when no range fits.
 */

/** The part of WebAssembly.Memory used here (tsconfig's lib "ES2022" declares none of it). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Bytes [0, 128) are the scratch blocks of simd.wat's $dot4x2 (main thread, worker). */
const HEAP_START = 128;
const PAGE = 65536;

/** A block of linear memory: [off, off + bytes). */
export interface Block {
  off: number;
  bytes: number;
}

/**
 * First-fit allocation of linear memory with coalescing free ranges; grows the memory when no
 * range fits (a failed grow returns -1 and the caller falls back to the plain kernel).
 * @example const heap = new Heap(memory); const off = heap.alloc(8000); heap.release(off, 8000);
 */
export class Heap {
  /** Free ranges, sorted by offset, never adjacent. */
  private free: Block[] = [];

  constructor(readonly memory: WasmMemory) {
    this.free.push({ off: HEAP_START, bytes: memory.buffer.byteLength - HEAP_START });
  }

  alloc(size: number): number {
    const bytes = Math.max(16, Math.ceil(size / 16) * 16);
    for (let i = 0; i < this.free.length; i++) {
      const f = this.free[i];
      if (f.bytes < bytes) continue;
      const off = f.off;
      f.off += bytes;
      f.bytes -= bytes;
      if (f.bytes === 0) this.free.splice(i, 1);
      return off;
    }
    const end = this.memory.buffer.byteLength;
    const last = this.free[this.free.length - 1];
    const tail = last && last.off + last.bytes === end ? last.bytes : 0;
    const pages = Math.ceil((bytes - tail) / PAGE);
    try {
      // at least a quarter more than now: fewer, larger grows
      this.memory.grow(Math.max(pages, Math.ceil(end / PAGE / 4)));
    } catch {
      return -1;
    }
    this.release(end, this.memory.buffer.byteLength - end);
    return this.alloc(size);
  }

  release(off: number, size: number): void {
    const bytes = Math.max(16, Math.ceil(size / 16) * 16);
    let i = 0;
    while (i < this.free.length && this.free[i].off < off) i++;
    this.free.splice(i, 0, { off, bytes });
    // merge with the next range, then with the previous one
    if (i + 1 < this.free.length && off + bytes === this.free[i + 1].off) {
      this.free[i].bytes += this.free[i + 1].bytes;
      this.free.splice(i + 1, 1);
    }
    if (i > 0 && this.free[i - 1].off + this.free[i - 1].bytes === off) {
      this.free[i - 1].bytes += this.free[i].bytes;
      this.free.splice(i, 1);
    }
  }
}
