/** @file The executor's memory reserve (kernel/node/reserve.ts): when it is given back and taken again (with a fake data size), and the real /proc reading. */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { assertBuilt } from "../support/build.js";
import { MemoryReserve, reserveSize } from "../../kernel/node/reserve.js";

const MB = 2 ** 20;

// The /proc reading runs in a child on the built kernel/node/reserve.js: a stale build fails here.
beforeAll(() => assertBuilt(["kernel"]));

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

  it("reads a process's data size from /proc, and a 64 MB buffer shows in it", () => {
    // A child of its own: in the test worker, storage an earlier test left to the collector can
    // be given back between the two readings and hide the new buffer.
    const reserve = fileURLToPath(new URL("../../dist/kernel/node/reserve.js", import.meta.url));
    const script = `
      const { dataSize } = await import(${JSON.stringify(reserve)});
      const before = dataSize();
      const b = new ArrayBuffer(${64 * MB});
      console.log(JSON.stringify({ before, grew: dataSize() - before, length: b.byteLength }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    const { before, grew, length } = JSON.parse(r.stdout) as { before: number; grew: number; length: number };
    expect(before).toBeGreaterThan(0);
    expect(grew).toBeGreaterThanOrEqual(60 * MB);
    expect(length).toBe(64 * MB);
  });
});
