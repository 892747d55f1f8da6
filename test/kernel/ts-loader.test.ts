/** @file The TypeScript loader's V8 code cache (kernel/engine/compiler/ts-loader.ts), in fresh Node processes. */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { beforeAll, expect, it } from "vitest";
import { compilerSource, oneByteSource, pruneCache } from "../../kernel/engine/compiler/ts-loader.js";
import { ensureBuilt, REPO } from "./helpers.js";

const require = createRequire(import.meta.url);

beforeAll(ensureBuilt, 300_000);

/** Loads the compiler in a new process, compiles a cell, saves the cache; reports what happened. */
function load(cacheDir: string): { fromCache: boolean; saved: boolean; output: string } {
  const script = `
    import { loadTypeScript, saveTypeScriptCache } from ${JSON.stringify(join(REPO, "dist/kernel/engine/compiler/ts-loader.js"))};
    import { createTsConverter } from ${JSON.stringify(join(REPO, "dist/kernel/engine/compiler/index.js"))};
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
  expect(readdirSync(dir)).toEqual([expect.stringMatching(/^typescript-[0-9a-f]{16}-[0-9a-f]{16}\.v8$/)]);
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

it("writing a cache removes the same install's earlier builds' caches, the earlier naming's and writers' leftovers, and nothing else", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-cache-"));
  load(dir);
  const [ours] = readdirSync(dir);
  const where = /^typescript-([0-9a-f]{16})-/.exec(ours!)![1]!;
  const hour = (Date.now() - 3_600_000) / 1000;
  const put = (name: string, old = false) => {
    writeFileSync(join(dir, name), "x");
    if (old) utimesSync(join(dir, name), hour, hour);
  };
  put(`typescript-${where}-${"0".repeat(16)}.v8`); // an earlier build of this install
  put(`typescript-${"1".repeat(16)}.v8`); // the earlier naming
  put(`${ours}.4242.tmp`, true); // a writer killed an hour ago
  put(`typescript-${"2".repeat(16)}-${"3".repeat(16)}.v8`); // another install or Node
  put(`${ours}.4343.tmp`); // a writer at work
  put("notes.txt");
  const others = [`typescript-${"2".repeat(16)}-${"3".repeat(16)}.v8`, `${ours}.4343.tmp`, "notes.txt"];
  // Written again (the cache rejected), the folder is pruned.
  writeFileSync(join(dir, ours!), "not a code cache");
  expect(load(dir)).toMatchObject({ fromCache: false, saved: true });
  expect(readdirSync(dir).sort()).toEqual([ours!, ...others].sort());
  // The rule alone: a name that is no cache of this form prunes nothing.
  pruneCache(join(dir, "elsewhere.v8"));
  expect(readdirSync(dir).sort()).toEqual([ours!, ...others].sort());
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

it("loads the build's copy without comments and whitespace, which compiles and checks as the original does", () => {
  const original = join(REPO, "node_modules", "@tslab", "typescript-for-tslab", "lib", "typescript.js");
  const copy = compilerSource(require.resolve("@tslab/typescript-for-tslab"));
  expect(copy).toBe(join(REPO, "dist", "kernel", "engine", "compiler", "typescript.min.cjs"));
  const dir = mkdtempSync(join(tmpdir(), "gradlab-tsmin-"));
  const cell = join(dir, "cell.ts");
  writeFileSync(
    cell,
    "const n: number = 'x';\nexport const f = (a: readonly number[]) => a.map((x) => x ** 2);\nconst r: readonly number[] = f([1]);\nr.push(2);\n",
  );
  const script = `
    const Module = require("node:module");
    const { readFileSync } = require("node:fs");
    const { dirname } = require("node:path");
    const vm = require("node:vm");
    const original = ${JSON.stringify(original)};
    // As ts-loader.ts runs it: the source of \`file\` as the module of the original file.
    const report = (file) => {
      const mod = { exports: {} };
      vm.runInThisContext(Module.wrap(readFileSync(file, "utf8")), { filename: file })
        .call(mod.exports, mod.exports, Module.createRequire(original), mod, original, dirname(original));
      const ts = mod.exports;
      const program = ts.createProgram([${JSON.stringify(cell)}], { strict: true, target: ts.ScriptTarget.ES2022 });
      let emitted = "";
      program.emit(undefined, (_name, text) => (emitted += text));
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => [d.code, d.start, ts.flattenDiagnosticMessageText(d.messageText, "\\n")]);
      return { version: ts.version, api: Object.keys(ts).sort(), emitted, diagnostics };
    };
    console.log(JSON.stringify([report(original), report(${JSON.stringify(copy)})]));
  `;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", cwd: dir, maxBuffer: 1 << 26 });
  expect(r.status, r.stderr).toBe(0);
  const [a, b] = JSON.parse(r.stdout) as { diagnostics: unknown[]; emitted: string }[];
  expect(a.diagnostics.length).toBe(2);
  expect(a.emitted).toContain("x ** 2");
  expect(b).toEqual(a);
}, 60_000);
