/** @file The TypeScript loader's V8 code cache (kernel/exec/ts-loader.ts), in fresh Node processes. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { beforeAll, expect, it } from "vitest";
import { oneByteSource } from "../../kernel/exec/compiler/ts-loader.js";
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

it("loads the compiler as a one-byte string that means what its file says", () => {
  // Escaped where the compiler has such characters (comments), and where it could (strings, identifiers, regular expressions).
  const text = '/* a → b */ const πρ = "x → y 😀"; const re = /[→😀]/u; [πρ, re.test("😀"), re.test("→"), re.test("x")]';
  const escaped = oneByteSource(text);
  expect(escaped).toMatch(/^[\0-\xff]*$/);
  expect(vm.runInNewContext(escaped)).toEqual(vm.runInNewContext(text));
  // V8's serializer tags a string by how V8 holds it: '"' one byte per character, 'c' two.
  const tag = (s: string) => String.fromCharCode(v8.serialize(s)[2]!);
  expect(tag("a → b".replace("→", "->"))).toBe("c");
  expect(tag(oneByteSource("a → b"))).toBe('"');
});
