/**
 * @file `npm run build` step: the executor (dist/kernel/node/child.js and every module of this
 * package it imports: the host, the cell engine, the magics, the library) as one ES module,
 * dist/kernel/node/executor.bundle.js, and beside it the stamp of the files it was made from: each
 * one's size, mtime and SHA-1 (kernel/node/executor-bundle.ts starts the executor from the bundle
 * only while every one is unchanged).
 * Node loads one file instead of about 250 (resolving, reading and compiling each): an executor's
 * start takes less CPU, which a class's kernels starting together share.
 *
 * Packages stay imports (Node resolves them from this package as before). Each module's
 * `import.meta.url` and `import.meta.dirname` are rewritten to name its own file in dist/, so the
 * files modules find beside themselves (the watchdog's and the SIMD thread's scripts, the
 * compiler, the WebAssembly modules) are the same. The entry's are left as they are: child.ts
 * tells by them that it runs from the bundle.
 */
import { readFile } from "node:fs/promises";
import { renameSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BUNDLE as OUT, BUNDLE_STAMP, CHILD as ENTRY, stampOf } from "../dist/kernel/node/executor-bundle.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");
const NODE_DIR = dirname(ENTRY);

const result = await build({
  entryPoints: [ENTRY],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Classes and functions keep their names (a module the bundle initializes lazily would otherwise
  // give a class that names itself inside another name: `Tensor = class _Tensor`).
  keepNames: true,
  packages: "external",
  outfile: OUT,
  write: false,
  metafile: true,
  absWorkingDir: ROOT,
  logLevel: "warning",
  banner: {
    js: 'import { join as __gradlabJoin } from "node:path"; import { pathToFileURL as __gradlabUrl } from "node:url";',
  },
  plugins: [
    {
      name: "import-meta-per-file",
      setup(b) {
        b.onLoad({ filter: /\.js$/ }, async (args) => {
          let src = await readFile(args.path, "utf8");
          if (args.path !== ENTRY) {
            const dir = JSON.stringify(relative(NODE_DIR, dirname(args.path)));
            src = src
              .replaceAll("import.meta.dirname", `__gradlabJoin(import.meta.dirname, ${dir})`)
              .replaceAll(
                "import.meta.url",
                `__gradlabUrl(__gradlabJoin(import.meta.dirname, ${dir}, ${JSON.stringify(basename(args.path))})).href`,
              );
          }
          return { contents: src, loader: "js" };
        });
      },
    },
  ],
});

// Each file is written whole under a temporary name, then renamed: a kernel starting meanwhile
// reads the old bundle and stamp or the new ones, never part of one.
const writeWhole = (file, contents) => {
  writeFileSync(`${file}.tmp`, contents);
  renameSync(`${file}.tmp`, file);
};
writeWhole(OUT, result.outputFiles[0].contents);

// The stamp: every input's size, mtime and SHA-1, by its path in dist/.
const inputs = {};
for (const file of Object.keys(result.metafile.inputs)) {
  const path = join(ROOT, file);
  inputs[relative(DIST, path)] = stampOf(path);
}
writeWhole(BUNDLE_STAMP, JSON.stringify({ inputs }));
console.log(`executor bundle: ${relative(ROOT, OUT)} (${Object.keys(inputs).length} modules)`);
