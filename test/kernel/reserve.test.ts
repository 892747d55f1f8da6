/** @file The executor's memory reserve (kernel/exec/reserve.ts) with a fake data size: when it is given back and taken again. */
import { describe, expect, it } from "vitest";
import { MemoryReserve, dataSize, reserveSize } from "../../kernel/exec/reserve.js";

const MB = 2 ** 20;

describe("the memory reserve", () => {
  it("is 1/16 of the budget, at most 64 MB", () => {
    expect(reserveSize(512 * MB)).toBe(32 * MB);
    expect(reserveSize(1024 * MB)).toBe(64 * MB);
    expect(reserveSize(12 * 1024 * MB)).toBe(64 * MB);
  });

  it("is taken when twice it is free, given back (with a collection) when less than it is free, and taken again", () => {
    let used = 100 * MB;
    let collections = 0;
    const r = new MemoryReserve(
      1024 * MB,
      () => used,
      () => collections++,
    );
    r.check();
    expect(r.holding).toBe(true);
    used = 1024 * MB - 65 * MB; // 65 MB free: still enough
    r.check();
    expect([r.holding, collections]).toEqual([true, 0]);
    used = 1024 * MB - 10 * MB; // a cell took nearly all
    r.check();
    expect([r.holding, collections]).toEqual([false, 1]);
    used = 1024 * MB - 100 * MB; // 100 MB free: not yet twice the reserve
    r.check();
    expect(r.holding).toBe(false);
    used = 1024 * MB - 128 * MB;
    r.check();
    expect([r.holding, collections]).toEqual([true, 1]);
  });

  it("does nothing without a budget or when the data size is unknown", () => {
    let reads = 0;
    const none = new MemoryReserve(
      Number.NaN,
      () => (reads++, 0),
      () => undefined,
    );
    none.check();
    expect([none.holding, reads]).toEqual([false, 0]);
    const unknown = new MemoryReserve(
      1024 * MB,
      () => Number.NaN,
      () => undefined,
    );
    unknown.check();
    expect(unknown.holding).toBe(false);
  });

  it("never throws, even when collecting fails (it runs between the executor's requests)", () => {
    let used = 100 * MB;
    const r = new MemoryReserve(
      1024 * MB,
      () => used,
      () => {
        throw new Error("no gc");
      },
    );
    r.check();
    used = 1020 * MB;
    expect(() => r.check()).not.toThrow();
    const broken = new MemoryReserve(1024 * MB, () => {
      throw new Error("no /proc");
    });
    expect(() => broken.check()).not.toThrow();
  });

  it("reads this process's data size from /proc, and a 64 MB buffer shows in it", () => {
    const before = dataSize();
    expect(before).toBeGreaterThan(0);
    const b = new ArrayBuffer(64 * MB);
    expect(dataSize() - before).toBeGreaterThanOrEqual(60 * MB);
    expect(b.byteLength).toBe(64 * MB);
  });
});
