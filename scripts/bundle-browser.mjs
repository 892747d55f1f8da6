/**
 * @file `npm run bundle:browser`: the library as one ES module for browsers, out/browser/gradlab.js,
 * with the files it fetches beside it: simd-unshared.wasm (the SIMD kernels, assembled from
 * src/tensor/simd.wat with wabt like build-wasm.mjs's simd.wasm, but importing a memory that is
 * not shared: a browser runs them on one thread, and may allow shared memory only to
 * cross-origin isolated pages) and plotly.min.js (put into the HTML of the first plotly figure).
 * Bundles the build (dist/src/index.js, so run `npm run build` first) with esbuild's platform
 * "browser", whose `browser` condition makes package.json's `#platform` import the browser
 * platform (src/platform/browser.ts) instead of Node's.
 *
 * `node scripts/bundle-browser.mjs [--out <dir>]` (default out/browser). Importing the bundle
 * resolves once the SIMD module is fetched and Graphviz compiled (a top-level await), so a page or a
 * module Web Worker imports it with `await import(".../gradlab.js")` or a static import.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const at = process.argv.indexOf("--out");
const out = resolve(at > 0 ? process.argv[at + 1] : join(ROOT, "out", "browser"));

const entry = join(ROOT, "dist", "src", "index.js");
for (const file of [entry]) {
  if (!existsSync(file)) {
    console.error(`bundle-browser: ${file} is missing: run npm run build first`);
    process.exit(1);
  }
}

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [entry],
  bundle: true,
  outfile: join(out, "gradlab.js"),
  format: "esm",
  platform: "browser",
  // top-level await (the browser platform fetches simd.wasm and compiles Graphviz while loading)
  target: "es2022",
  sourcemap: true,
  legalComments: "eof",
  logLevel: "warning",
});

const require = createRequire(import.meta.url);
const wat = join(ROOT, "src", "tensor", "simd.wat");
const sharedMemory = "(memory 1 65536 shared)";
const text = readFileSync(wat, "utf8");
if (!text.includes(sharedMemory)) {
  console.error(`bundle-browser: ${wat} no longer imports ${sharedMemory}: update this script`);
  process.exit(1);
}
const wabt = await require("wabt")();
const features = { simd: true };
const module = wabt.parseWat(wat, text.replace(sharedMemory, "(memory 1 65536)"), features);
module.validate(features);
writeFileSync(join(out, "simd-unshared.wasm"), module.toBinary({}).buffer);
module.destroy();
copyFileSync(require.resolve("plotly.js-dist-min"), join(out, "plotly.min.js"));

const bundle = readFileSync(join(out, "gradlab.js"), "utf8");
const nodeImport = /\b(?:from|import|require)\s*\(?\s*["']node:/.exec(bundle);
if (nodeImport) {
  console.error(`bundle-browser: the bundle imports a Node built-in: ${bundle.slice(nodeImport.index, nodeImport.index + 60)}`);
  process.exit(1);
}
console.log(`${join(out, "gradlab.js")}: ${(bundle.length / 2 ** 20).toFixed(1)} MB, with simd-unshared.wasm and plotly.min.js beside it`);
