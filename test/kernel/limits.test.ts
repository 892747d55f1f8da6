/** @file The executor's malloc settings (kernel/node/limits.ts): scaled to the budget, the user's own first. */
import { describe, expect, it } from "vitest";
import { mallocTunables, semiSpaceMb } from "../../kernel/node/limits.js";

const MB = 2 ** 20;

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
