/** @file The TypeScript loader's V8 code cache (kernel/exec/ts-loader.ts), in fresh Node processes. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { ensureBuilt, REPO } from "./helpers.js";

beforeAll(ensureBuilt, 300_000);

/** Loads the compiler in a new process, compiles a cell, saves the cache; reports what happened. */
function load(cacheDir: string): { fromCache: boolean; saved: boolean; output: string } {
  const script = `
    import { loadTypeScript, saveTypeScriptCache } from ${JSON.stringify(join(REPO, "dist/kernel/exec/compiler/ts-loader.js"))};
    import { createTsConverter } from ${JSON.stringify(join(REPO, "dist/kernel/exec/compiler/index.js"))};
    const { fromCache } = loadTypeScript();
    const output = createTsConverter(process.cwd()).convert("", "const n: number = 2;\\nn * 21").output;
    console.log(JSON.stringify({ fromCache, saved: saveTypeScriptCache(), output }));
    process.exit(0);
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    env: { ...process.env, GRADLAB_CACHE_DIR: cacheDir },
    encoding: "utf8",
    cwd: tmpdir(),
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

it("writes the code cache once, loads from it next time, and compiles the same either way", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-cache-"));
  const first = load(dir);
  expect(first).toMatchObject({ fromCache: false, saved: true });
  expect(readdirSync(dir)).toEqual([expect.stringMatching(/^typescript-[0-9a-f]{16}\.v8$/)]);
  const second = load(dir);
  expect(second).toMatchObject({ fromCache: true, saved: false });
  expect(second.output).toBe(first.output);
  expect(first.output).toContain("const tsLastExpr = exports.n * 21;");
}, 60_000);

it("a corrupt cache is rejected by V8 and written again", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-cache-"));
  load(dir);
  const [name] = readdirSync(dir);
  writeFileSync(join(dir, name!), "not a code cache");
  expect(load(dir)).toMatchObject({ fromCache: false, saved: true });
  expect(load(dir)).toMatchObject({ fromCache: true });
}, 60_000);
