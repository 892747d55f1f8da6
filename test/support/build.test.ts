/** @file The stale-build check the tests of built code run (test/support/build.ts), on a scratch tree. */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { STALE_BUILD, assertBuilt, staleBuild } from "./build.js";

let repo: string;

/** Writes `path` under the scratch tree with its modification time `seconds` after the epoch. */
function file(path: string, seconds: number): void {
  const full = join(repo, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, "");
  utimesSync(full, seconds, seconds);
}

beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), "gradlab-build-check-"));
  writeFileSync(join(repo, "tsconfig.json"), JSON.stringify({ compilerOptions: { outDir: "dist" }, include: ["src", "kernel"] }));
  file("src/a.ts", 100);
  file("src/tensor/simd.wat", 100);
  file("src/types.d.ts", 500);
  file("kernel/k.ts", 100);
  file("dist/src/a.js", 200);
  file("dist/src/tensor/simd.wasm", 200);
  file("dist/kernel/k.js", 200);
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

describe("staleBuild", () => {
  test("a build written after every source is current (declaration files have no output)", () => {
    expect(staleBuild(undefined, repo)).toBeUndefined();
  });

  test("a source newer than its output is named, with the output", () => {
    file("kernel/k.ts", 300);
    expect(staleBuild(undefined, repo)).toBe(`kernel/k.ts (newer than ${join("dist", "kernel", "k.js")})`);
    expect(staleBuild(["src"], repo)).toBeUndefined();
  });

  test("a source without output is named, whatever its folder's depth", () => {
    file("src/graph/new.ts", 100);
    expect(staleBuild(undefined, repo)).toBe(`${join("src", "graph", "new.ts")} (${join("dist", "src", "graph", "new.js")} is missing)`);
  });

  test("a folder tsconfig.json excludes is not built, so it has no output to check", () => {
    file("kernel/page/main.ts", 300);
    expect(staleBuild(undefined, repo)).toBe(
      `${join("kernel", "page", "main.ts")} (${join("dist", "kernel", "page", "main.js")} is missing)`,
    );
    writeFileSync(
      join(repo, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { outDir: "dist" }, include: ["src", "kernel"], exclude: ["kernel/page"] }),
    );
    expect(staleBuild(undefined, repo)).toBeUndefined();
  });

  test("the WebAssembly text counts as a source of its .wasm", () => {
    file("src/tensor/simd.wat", 300);
    expect(staleBuild(["src"], repo)).toBe(
      `${join("src", "tensor", "simd.wat")} (newer than ${join("dist", "src", "tensor", "simd.wasm")})`,
    );
  });
});

describe("assertBuilt", () => {
  test("passes on a current build and fails on a stale one with the message that says to build", () => {
    expect(() => assertBuilt(undefined, repo)).not.toThrow();
    file("src/a.ts", 300);
    expect(() => assertBuilt(undefined, repo)).toThrow(`${STALE_BUILD}: src/a.ts (newer than ${join("dist", "src", "a.js")})`);
    expect(STALE_BUILD).toBe("dist/ is older than the sources: run npm run build");
  });
});
