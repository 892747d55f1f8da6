/**
 * @file Headroom for the executor's own work after a notebook has filled its memory budget.
 *
 * RLIMIT_DATA bounds all the executor's memory (limits.ts), and Float64Array storage can take all
 * of it: `while (true) hog.push(new Float64Array(1 << 24))` ends in a RangeError with anywhere
 * between nothing and 128 MB left. The next cell then needs the JavaScript heap to grow (to
 * compile it); when that fails inside V8 the process ends and the notebook's state is lost. So
 * the executor holds a reserve of address space (an ArrayBuffer never touched: no resident
 * memory) while memory is plentiful, and gives it back when a request or comm message leaves less
 * than the reserve free: the next cells then have at least the reserve to compile and run in. It
 * takes the reserve again once as much memory is free again.
 *
 * What it cannot do: a cell that keeps allocating small buffers after each RangeError (or one
 * whose own objects need the heap to grow while its buffers have taken the rest) can still end
 * the process inside the cell; the kernel then starts a new executor and says so (MemoryError).
 */
import { readFileSync } from "node:fs";
import v8 from "node:v8";
import vm from "node:vm";

/** The reserve: 1/16 of the budget, at most 64 MB. */
export function reserveSize(budget: number): number {
  return Math.min(64 * 2 ** 20, Math.floor(budget / 16));
}

/** The process's data size in bytes (what RLIMIT_DATA bounds), or NaN when /proc cannot say. */
export function dataSize(): number {
  try {
    const m = /^VmData:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "latin1"));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * A full garbage collection that frees array buffers' storage before it returns (`gc` is
 * reached through a context of its own, so it is never a global of the notebook).
 */
export function collectNow(): void {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("typeof gc === 'function' ? gc : undefined") as (() => void) | undefined;
  if (gc === undefined) return; // the storage is then freed by the next collection V8 makes
  v8.setFlagsFromString("--no-concurrent-array-buffer-sweeping");
  try {
    gc();
  } finally {
    v8.setFlagsFromString("--concurrent-array-buffer-sweeping");
  }
}

/**
 * The reserve. `check()` runs after each request and comm message.
 * @example const r = new MemoryReserve(2 ** 30); r.check();
 */
export class MemoryReserve {
  private held: ArrayBuffer | null = null;
  readonly size: number;

  constructor(
    private readonly budget: number,
    private readonly readData: () => number = dataSize,
    private readonly collect: () => void = collectNow,
  ) {
    this.size = reserveSize(budget);
  }

  /** Whether the reserve is held now. */
  get holding(): boolean {
    return this.held !== null;
  }

  /**
   * Gives the reserve back when less than it is free; takes it when twice it is. Never throws:
   * it runs between requests, where an exception would stop the executor's request loop.
   */
  check(): void {
    try {
      this.update();
    } catch {
      // the reserve stays as it was
    }
  }

  private update(): void {
    if (!(this.budget > 0) || this.size <= 0) return;
    const free = this.budget - this.readData();
    if (Number.isNaN(free)) return;
    if (this.held !== null) {
      if (free >= this.size) return;
      this.held = null;
      this.collect();
    } else if (free >= 2 * this.size) {
      try {
        this.held = new ArrayBuffer(this.size);
      } catch {
        // memory went in the meantime: try again after the next request
      }
    }
  }
}
