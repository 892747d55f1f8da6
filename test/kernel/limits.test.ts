/**
 * @file The executor's memory limits (kernel/node/limits.ts): the budget from RAM, the cgroup and
 * MEM_LIMIT, and the malloc settings scaled to it, the user's own first.
 */
import { describe, expect, it } from "vitest";
import { mallocTunables, memoryLimits, semiSpaceMb } from "../../kernel/node/limits.js";

const MB = 2 ** 20;
const GB = 2 ** 30;

describe("memoryLimits", () => {
  it("takes half of the least of RAM, the cgroup's memory.max and MEM_LIMIT, and half of that (at most 4 GB) for the heap", () => {
    expect(memoryLimits({ env: {}, total: 24 * GB })).toEqual({
      budget: 12 * GB,
      heapMb: 4096,
      source: "half of RAM; GRADLAB_MEMORY_LIMIT changes it",
    });
    expect(memoryLimits({ env: { MEM_LIMIT: String(2 * GB) }, total: 24 * GB, cgroupMax: 8 * GB })).toEqual({
      budget: 1 * GB,
      heapMb: 512,
      source: "half of MEM_LIMIT; GRADLAB_MEMORY_LIMIT changes it",
    });
    expect(memoryLimits({ env: { MEM_LIMIT: String(16 * GB) }, total: 24 * GB, cgroupMax: 8 * GB }).source).toBe(
      "half of the cgroup's memory.max; GRADLAB_MEMORY_LIMIT changes it",
    );
  });

  it("reads a MEM_LIMIT set by hand as a size (2G) the way JupyterHub's bytes read", () => {
    const bytes = memoryLimits({ env: { MEM_LIMIT: "2147483648" }, total: 24 * GB });
    expect(memoryLimits({ env: { MEM_LIMIT: "2G" }, total: 24 * GB })).toEqual(bytes);
    expect(memoryLimits({ env: { MEM_LIMIT: " 2048M " }, total: 24 * GB })).toEqual(bytes);
    expect(bytes.heapMb).toBe(512);
  });

  it("leaves out a MEM_LIMIT that is no size, and says so, instead of failing the kernel", () => {
    for (const text of ["lots", "-1", "0", "2 GB please"]) {
      expect(memoryLimits({ env: { MEM_LIMIT: text }, total: 24 * GB })).toEqual({
        budget: 12 * GB,
        heapMb: 4096,
        source: `half of RAM; GRADLAB_MEMORY_LIMIT changes it; MEM_LIMIT=${text} ignored: expected a number of bytes or a size such as 2G`,
      });
    }
    expect(memoryLimits({ env: { MEM_LIMIT: "" }, total: 24 * GB }).source).toBe("half of RAM; GRADLAB_MEMORY_LIMIT changes it");
  });

  it("takes GRADLAB_MEMORY_LIMIT over MEM_LIMIT, and refuses one it cannot read", () => {
    expect(memoryLimits({ env: { GRADLAB_MEMORY_LIMIT: "3G", MEM_LIMIT: "2G" }, total: 24 * GB })).toEqual({
      budget: 3 * GB,
      heapMb: 1536,
      source: "set by GRADLAB_MEMORY_LIMIT",
    });
    expect(() => memoryLimits({ env: { GRADLAB_MEMORY_LIMIT: "lots" }, total: 24 * GB })).toThrow(/^GRADLAB_MEMORY_LIMIT: expected a size/);
  });
});

describe("mallocTunables", () => {
  it("keeps min(64 MB, budget / 16) of freed memory and maps blocks from min(32 MB, budget / 32)", () => {
    expect(mallocTunables(1024 * MB, undefined)).toBe(`glibc.malloc.trim_threshold=${64 * MB}:glibc.malloc.mmap_threshold=${32 * MB}`);
    expect(mallocTunables(512 * MB, undefined)).toBe(`glibc.malloc.trim_threshold=${32 * MB}:glibc.malloc.mmap_threshold=${16 * MB}`);
    expect(mallocTunables(12 * 1024 * MB, "")).toBe(`glibc.malloc.trim_threshold=${64 * MB}:glibc.malloc.mmap_threshold=${32 * MB}`);
  });

  it("puts the user's own tunables first, and a key the user set is left as the user set it", () => {
    expect(mallocTunables(1024 * MB, "glibc.malloc.trim_threshold=1234:glibc.cpu.hwcaps=-AVX2")).toBe(
      `glibc.malloc.trim_threshold=1234:glibc.cpu.hwcaps=-AVX2:glibc.malloc.mmap_threshold=${32 * MB}`,
    );
    expect(mallocTunables(1024 * MB, "glibc.malloc.mmap_threshold=0:glibc.malloc.trim_threshold=0")).toBe(
      "glibc.malloc.mmap_threshold=0:glibc.malloc.trim_threshold=0",
    );
  });
});

describe("semiSpaceMb", () => {
  it("gives every heap from 512 MB up the 16 MB semi-spaces of a full-size heap, and a smaller heap a thirty-second of it (at least 1 MB)", () => {
    expect([4096, 1024, 512, 511, 256, 128, 64, 32, 16].map(semiSpaceMb)).toEqual([16, 16, 16, 15, 8, 4, 2, 1, 1]);
  });
});
