/**
 * @file The memory readings against allocations of known size: a reading never falls below the
 * storage a run keeps alive, and a run that keeps nothing reads near zero. No timing is asserted.
 */
import { describe, expect, test } from "vitest";
import { bytesAtProbe, liveBytes, retainedBytes, zeros } from "gradlab";

const MiB = 1024 * 1024;
/** Slack for storage that is not the run's (none is expected; a generous bound cannot flake). */
const SMALL = 64 * 1024;

describe("memory readings", () => {
  test("retainedBytes counts a typed array the result keeps, and about nothing for a run that keeps nothing", () => {
    for (const collection of ["minor", "major"] as const) {
      const kept = retainedBytes(() => new Float64Array(MiB / 8), { collection });
      expect(kept).toBeGreaterThanOrEqual(MiB);
      expect(kept).toBeLessThan(MiB + SMALL);
      expect(retainedBytes(() => null, { collection })).toBeLessThan(SMALL);
      // Storage allocated and dropped inside the run is garbage by the second reading.
      expect(
        retainedBytes(
          () => {
            new Float64Array(MiB / 8).fill(1);
            return 0;
          },
          { collection },
        ),
      ).toBeLessThan(SMALL);
    }
  });

  test("a tensor's storage is counted: 3 x 1000 entries of 8 bytes", () => {
    const bytes = retainedBytes(() => [zeros([1000]), zeros([1000]), zeros([1000])]);
    expect(bytes).toBeGreaterThanOrEqual(3 * 8000);
    expect(bytes).toBeLessThan(3 * 8000 + SMALL);
  });

  test("bytesAtProbe reads at the probe: storage alive then counts, even if the run drops it after", () => {
    const reading = bytesAtProbe((probe) => {
      const big = new Float64Array((2 * MiB) / 8);
      probe();
      probe(); // only the first call reads
      return big.length;
    });
    expect(reading).toBeGreaterThanOrEqual(2 * MiB);
    expect(reading).toBeLessThan(2 * MiB + SMALL);
    expect(bytesAtProbe((probe) => probe())).toBeLessThan(SMALL);
  });

  test("liveBytes is at least the storage held here", () => {
    const held = new Float64Array(MiB / 8);
    expect(liveBytes()).toBeGreaterThanOrEqual(held.byteLength);
    expect(liveBytes("major")).toBeGreaterThanOrEqual(held.byteLength);
  });

  test("bad input gets a specific error", () => {
    expect(() => retainedBytes(() => 0, { collection: "full" as "major" })).toThrow(
      'retainedBytes: expected collection "minor" or "major", got full',
    );
    expect(() => retainedBytes(() => 0, { rounds: 0 })).toThrow("retainedBytes: expected rounds to be a whole number of at least 1, got 0");
    expect(() => bytesAtProbe(() => 0)).toThrow("bytesAtProbe: the run never called its probe");
    expect(() => retainedBytes(5 as unknown as () => unknown)).toThrow("retainedBytes: expected a function, got number");
    expect(() => liveBytes("young" as "minor")).toThrow('liveBytes: expected collection "minor" or "major", got young');
  });
});
