/**
 * @file The memory readings against allocations of known size: a reading never falls below the
 * storage a run keeps alive, and a run that keeps nothing reads near zero. No timing is asserted.
 */
import { describe, expect, test } from "vitest";
import { bytesAtProbe, liveBytes, memoryUnavailable, retainedBytes, zeros } from "gradlab";

const MiB = 1024 * 1024;
/**
 * Slack for storage that is not the run's: the test runner's own small buffers come and go between
 * readings (a few KiB either way); every known size below is far larger.
 */
const SMALL = 64 * 1024;

describe("memory readings", () => {
  test("can be taken in Node: memoryUnavailable() is null", () => {
    expect(memoryUnavailable()).toBeNull();
  });

  test("retainedBytes counts a typed array the result keeps, and about nothing for a run that keeps nothing", async () => {
    const kept = await retainedBytes(() => new Float64Array(MiB / 8));
    expect(kept).toBeGreaterThanOrEqual(MiB - SMALL);
    expect(kept).toBeLessThan(MiB + SMALL);
    expect(await retainedBytes(() => null)).toBeLessThan(SMALL);
    // Storage allocated and dropped inside the run is garbage by the second reading, small arrays and large.
    const dropped = await retainedBytes(() => {
      for (let k = 0; k < 2000; k++) new Float64Array(1000).fill(k);
      new Float64Array(MiB / 8).fill(1);
      return 0;
    });
    expect(dropped).toBeLessThan(SMALL);
  });

  test("a tensor's storage is counted: 3 x 100000 entries of 8 bytes, the garbage made on the way is not", async () => {
    const bytes = await retainedBytes(() => {
      const parts = Array.from({ length: 500 }, () => zeros([1000]));
      return [zeros([100000]), zeros([100000]), zeros([100000]), parts.length];
    });
    expect(bytes).toBeGreaterThanOrEqual(3 * 800000 - SMALL);
    expect(bytes).toBeLessThan(3 * 800000 + SMALL);
  });

  test("bytesAtProbe reads at the probe: storage alive then counts, even if the run drops it after", () => {
    for (const collection of ["major", "minor"] as const) {
      const reading = bytesAtProbe(
        (probe) => {
          const big = new Float64Array((2 * MiB) / 8);
          probe();
          probe(); // only the first call reads
          return big.length;
        },
        { collection },
      );
      expect(reading).toBeGreaterThanOrEqual(2 * MiB - SMALL);
      expect(reading).toBeLessThan(2 * MiB + SMALL);
      expect(bytesAtProbe((probe) => probe(), { collection })).toBeLessThan(SMALL);
    }
  });

  test("liveBytes is at least the storage held here", () => {
    const held = new Float64Array(MiB / 8);
    expect(liveBytes()).toBeGreaterThanOrEqual(held.byteLength);
    expect(liveBytes("major")).toBeGreaterThanOrEqual(held.byteLength);
  });

  test("bad input gets a specific error", async () => {
    expect(() => bytesAtProbe(() => 0, { collection: "full" as "major" })).toThrow(
      'bytesAtProbe: expected collection "minor" or "major", got full',
    );
    await expect(retainedBytes(() => 0, { rounds: 0 })).rejects.toThrow(
      "retainedBytes: expected rounds to be a whole number of at least 1, got 0",
    );
    expect(() => bytesAtProbe(() => 0)).toThrow("bytesAtProbe: the run never called its probe");
    await expect(retainedBytes(5 as unknown as () => unknown)).rejects.toThrow("retainedBytes: expected a function, got number");
    expect(() => liveBytes("young" as "minor")).toThrow('liveBytes: expected collection "minor" or "major", got young');
  });
});
