/**
 * @file `npm run build` step: the TypeScript compiler the executor loads
 * (@tslab/typescript-for-tslab's typescript.js, 8 MB) without its comments and whitespace and with
 * its local names shortened, with esbuild (a devDependency), into
 * dist/kernel/engine/compiler/typescript.min.cjs, and beside it the stamp of the file it was made
 * from (kernel/engine/compiler/ts-loader.ts loads it only for that file). Property names (the
 * compiler's API) are kept; non-ASCII characters are written as escapes. Every byte of this
 * source is held three times in an executor: in its heap, in the startup snapshot's blob, and in
 * the watchdog thread's copy of the snapshot's objects.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";

const require = createRequire(import.meta.url);
const source = require.resolve("@tslab/typescript-for-tslab");
const { version } = JSON.parse(readFileSync(require.resolve("@tslab/typescript-for-tslab/package.json"), "utf8"));
const target = fileURLToPath(new URL("../dist/kernel/engine/compiler/typescript.min.cjs", import.meta.url));

const { code } = transformSync(readFileSync(source, "utf8"), {
  loader: "js",
  minifyWhitespace: true,
  minifyIdentifiers: true,
  legalComments: "none",
  charset: "ascii",
});
mkdirSync(dirname(target), { recursive: true });
// Written only when it changed: its size and mtime name the kernels' code cache (ts-loader.ts).
const same = (file, text) => existsSync(file) && readFileSync(file, "utf8") === text;
const stamp = JSON.stringify({ version, size: statSync(source).size }) + "\n";
if (!same(target, code)) writeFileSync(target, code);
if (!same(target.replace(/\.cjs$/, ".json"), stamp)) writeFileSync(target.replace(/\.cjs$/, ".json"), stamp);
console.log(`compiler without comments, whitespace and long local names: ${target} (${(code.length / 2 ** 20).toFixed(1)} MB)`);
