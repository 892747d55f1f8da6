/**
 * @file `npm run site`: the course as a static JupyterLite site (lab interface), in out/site:
 * JupyterLab's and JupyterLite's extension packages (pinned in package-lock) bundled with esbuild
 * around kernel/browser/page/main.ts, gradlab's kernel (kernel/browser/page/kernel.ts) whose cells run in a Web Worker
 * (kernel/browser/worker/worker.ts: the same cell compiler, executor, display and magics as the Node
 * kernel), the seminar notebooks (English and Russian) and the homework templates. Nothing is
 * downloaded; the build reads dist/ (run `npm run build` first) and node_modules.
 *
 * `node scripts/build-site.mjs [--out <dir>] [--force]` (default out/site). The build is skipped
 * when out/<dir>/build/stamp.json names the same inputs (a hash of every input file's path and content).
 *
 * Layout: index.html (redirects to lab/), lab/index.html (the page), build/ (the page's bundle,
 * settings schemas, theme), build/gradlab/ (the worker, the compiler's files, the SIMD module and
 * plotly.js), files/ and api/contents/ (the notebooks and their listings, as JupyterLite reads them).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const arg = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const OUT = resolve(arg("--out") ?? join(ROOT, "out", "site"));
const started = performance.now();
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** The extension packages whose settings schemas and styles the page needs (kernel/browser/page/main.ts imports their plugins). */
const EXTENSIONS = [
  "@jupyterlab/application-extension",
  "@jupyterlab/apputils-extension",
  "@jupyterlab/codemirror-extension",
  "@jupyterlab/completer-extension",
  "@jupyterlab/docmanager-extension",
  "@jupyterlab/filebrowser-extension",
  "@jupyterlab/launcher-extension",
  "@jupyterlab/mainmenu-extension",
  "@jupyterlab/markedparser-extension",
  "@jupyterlab/mathjax-extension",
  "@jupyterlab/notebook-extension",
  "@jupyterlab/rendermime-extension",
  "@jupyterlab/services-extension",
  "@jupyterlab/shortcuts-extension",
  "@jupyterlab/statusbar-extension",
  "@jupyterlab/theme-light-extension",
  "@jupyterlab/tooltip-extension",
  "@jupyterlab/translation-extension",
  "@jupyterlab/ui-components-extension",
  "@jupyterlite/application-extension",
  "@jupyterlite/apputils-extension",
  "@jupyterlite/services-extension",
  "@jupyter-widgets/jupyterlab-manager",
];

/** The notebooks on the site: folder in the repository -> folder on the site. Never the homework sources. */
const NOTEBOOKS = [
  ["notebooks", ""],
  ["notebooks/ru", "ru"],
  ["notebooks/homework", "homework"],
  ["notebooks/homework/ru", "homework/ru"],
];

// ---------------------------------------------------------------- up to date?

/** Every file under `dir` (recursively), skipping node_modules. */
function walk(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : walk(p);
    return [p];
  });
}

const inputs = [
  join(ROOT, "package-lock.json"),
  join(ROOT, "scripts", "build-site.mjs"),
  join(ROOT, "scripts", "bundle-browser.mjs"),
  ...walk(join(ROOT, "kernel", "browser", "page")),
  ...walk(join(ROOT, "dist", "src")),
  ...walk(join(ROOT, "dist", "kernel")),
  ...NOTEBOOKS.flatMap(([from]) =>
    readdirSync(join(ROOT, from))
      .filter((f) => f.endsWith(".ipynb"))
      .map((f) => join(ROOT, from, f)),
  ),
].sort();
const stamp = createHash("sha256");
// (by content: `npm run build` writes every file of dist/ again, most of them unchanged)
for (const f of inputs)
  stamp
    .update(`${relative(ROOT, f)}\0`)
    .update(readFileSync(f))
    .update("\0");
const key = stamp.digest("hex");
const stampFile = join(OUT, "build", "stamp.json");
if (!process.argv.includes("--force") && existsSync(stampFile) && JSON.parse(readFileSync(stampFile, "utf8")).key === key) {
  console.log(`${OUT}: up to date`);
  process.exit(0);
}
for (const f of [join(ROOT, "dist", "kernel", "browser", "worker", "worker.js"), join(ROOT, "dist", "src", "index.js")]) {
  if (!existsSync(f)) {
    console.error(`build-site: ${f} is missing: run npm run build first`);
    process.exit(1);
  }
}
rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(OUT, "build", "gradlab"), { recursive: true });
const timings = {};
const timed = async (name, fn) => {
  const t = performance.now();
  await fn();
  timings[name] = Math.round(performance.now() - t);
};

// ---------------------------------------------------------------- the worker

const SHIMS = join(ROOT, "dist", "kernel", "browser", "worker", "node");
const NODE_SHIMS = {
  fs: "fs.js",
  module: "module.js",
  vm: "vm.js",
  util: "util.js",
  crypto: "crypto.js",
  perf_hooks: "perf-hooks.js",
  url: "url.js",
};
const DIST_KERNEL = join(ROOT, "dist", "kernel");

/** Node's built-ins and the compiler's loader, as the worker has them (kernel/browser/worker/node/). */
const browserHost = {
  name: "gradlab-browser-host",
  setup(b) {
    const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
    b.onResolve({ filter: /.*/ }, (args) => {
      if (builtins.has(args.path)) {
        const name = args.path.replace(/^node:/, "");
        if (NODE_SHIMS[name]) return { path: join(SHIMS, NODE_SHIMS[name]) };
        if (name === "path") return { path: require.resolve("path-browserify") };
        // (the compiler requires the others only on Node, which it finds is not there)
        return { path: name, namespace: "gradlab-empty" };
      }
      if (args.resolveDir.startsWith(DIST_KERNEL) && !args.resolveDir.startsWith(SHIMS)) {
        const target = resolve(args.resolveDir, args.path);
        if (target === join(DIST_KERNEL, "engine", "compiler", "ts-loader.js")) return { path: join(SHIMS, "ts-loader.js") };
        if (target === join(DIST_KERNEL, "kernelspec.js")) return { path: join(SHIMS, "kernelspec.js") };
      }
      return undefined;
    });
    b.onLoad({ filter: /.*/, namespace: "gradlab-empty" }, () => ({ contents: "module.exports = {};", loader: "js" }));
  },
};

await timed("worker", async () => {
  await build({
    entryPoints: [join(ROOT, "dist", "kernel", "browser", "worker", "worker.js")],
    bundle: true,
    outfile: join(OUT, "build", "gradlab", "worker.js"),
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    keepNames: true,
    sourcemap: false,
    legalComments: "eof",
    logLevel: "error",
    define: { GRADLAB_VERSION: JSON.stringify(pkg.version) },
    plugins: [browserHost],
  });
});

// The SIMD module and plotly.js beside the worker (the library's browser platform fetches them there).
await timed("library assets", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "gradlab-site-"));
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "bundle-browser.mjs"), "--out", tmp], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`bundle-browser failed:\n${r.stdout}${r.stderr}`);
  for (const f of ["simd-unshared.wasm", "plotly.min.js"]) cpSync(join(tmp, f), join(OUT, "build", "gradlab", f));
  rmSync(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------- the compiler's files

/**
 * The files the cell compiler reads in Node for a notebook that imports gradlab and tslab, by their
 * path in this package: the worker's compiler reads the same (kernel/browser/worker/files.ts).
 */
await timed("compiler files", async () => {
  const { loadTypeScript } = await import(pathToFileURL(join(ROOT, "dist", "kernel", "engine", "compiler", "ts-loader.js")).href);
  const { createTsConverter } = await import(pathToFileURL(join(ROOT, "dist", "kernel", "engine", "compiler", "index.js")).href);
  const { DISPLAY_DECLARATIONS } = await import(pathToFileURL(join(ROOT, "dist", "kernel", "engine", "display.js")).href);
  const { ts } = loadTypeScript();
  const read = new Set();
  const readFile = ts.sys.readFile;
  ts.sys.readFile = (p, enc) => {
    const text = readFile(p, enc);
    if (text !== undefined) read.add(p);
    return text;
  };
  const cwd = mkdtempSync(join(tmpdir(), "gradlab-site-notebook-"));
  try {
    const conv = createTsConverter(cwd);
    const r = conv.convert(
      DISPLAY_DECLARATIONS,
      'import * as g from "gradlab";\nimport * as tslab from "tslab";\nconst x: number = g.tensor([1]).size;\nx',
    );
    if (r.diagnostics.length > 0) throw new Error(`the compiler failed on gradlab's imports: ${JSON.stringify(r.diagnostics)}`);
    conv.complete(r.declOutput, "g.ten", 5);
  } finally {
    ts.sys.readFile = readFile;
    rmSync(cwd, { recursive: true, force: true });
  }
  const tsLib = dirname(require.resolve("@tslab/typescript-for-tslab"));
  read.add(join(tsLib, "ru", "diagnosticMessages.generated.json"));
  const pack = {};
  for (const p of [...read].sort()) {
    const rel = relative(ROOT, p);
    if (rel.startsWith("..")) continue;
    pack[rel.split("\\").join("/")] = readFileSync(p, "utf8");
  }
  writeFileSync(join(OUT, "build", "gradlab", "compiler-files.json"), JSON.stringify(pack));
});

// ---------------------------------------------------------------- the page

/**
 * Mermaid (7.6 MB of the bundle) is imported only by the Mermaid plugin of @jupyterlab/mermaid-extension,
 * which the site does not load: the Markdown parser renders ```mermaid blocks as code without it.
 */
const noMermaid = {
  name: "no-mermaid",
  setup(b) {
    b.onResolve({ filter: /^(mermaid|@mermaid-js\/layout-elk)$/ }, (args) => ({ path: args.path, namespace: "no-mermaid" }));
    b.onLoad({ filter: /.*/, namespace: "no-mermaid" }, () => ({
      contents: 'throw new Error("Mermaid diagrams are not on this site");',
      loader: "js",
    }));
  },
};

/** `~package/file` in the extensions' CSS (webpack's css-loader convention): the package's file. */
const tildeImports = {
  name: "tilde-imports",
  setup(b) {
    b.onResolve({ filter: /^~/ }, (args) => ({ path: require.resolve(args.path.slice(1)) }));
  },
};

await timed("page", async () => {
  await build({
    entryPoints: [join(ROOT, "kernel", "browser", "page", "main.ts")],
    bundle: true,
    outdir: join(OUT, "build"),
    entryNames: "[name]",
    assetNames: "assets/[name]-[hash]",
    // One file: esbuild's chunks give an import() of a CommonJS module (MathJax's) its default export only.
    splitting: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    legalComments: "eof",
    logLevel: "error",
    tsconfig: join(ROOT, "kernel", "browser", "page", "tsconfig.json"),
    plugins: [tildeImports, noMermaid],
    // (webpack's defaults, which the extensions were written against)
    define: { "process.env.NODE_ENV": '"production"', "process.env": "{}", global: "globalThis", __dirname: '"/"' },
    // One copy of Yjs for the modules that import it and those that require it (two copies cannot share documents).
    alias: { yjs: require.resolve("yjs").replace(/yjs\.cjs$/, "yjs.mjs") },
    loader: {
      ".svg": "text",
      ".woff": "file",
      ".woff2": "file",
      ".ttf": "file",
      ".eot": "file",
      ".png": "file",
      ".gif": "file",
      ".md": "text",
    },
  });
});

// Settings schemas (build/schemas/all.json, as JupyterLite's settings read them) and the theme.
await timed("schemas and theme", async () => {
  const all = [];
  for (const name of EXTENSIONS) {
    const dir = dirname(require.resolve(`${name}/package.json`));
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const schemaDir = meta.jupyterlab?.schemaDir;
    if (!schemaDir || !existsSync(join(dir, schemaDir))) continue;
    for (const f of readdirSync(join(dir, schemaDir))
      .filter((f) => f.endsWith(".json"))
      .sort()) {
      const schema = JSON.parse(readFileSync(join(dir, schemaDir, f), "utf8"));
      all.push({ id: `${name}:${basename(f, ".json")}`, raw: "{}", schema, settings: {}, version: meta.version });
    }
  }
  mkdirSync(join(OUT, "build", "schemas"), { recursive: true });
  writeFileSync(join(OUT, "build", "schemas", "all.json"), JSON.stringify(all));
  writeFileSync(join(OUT, "build", "schemas", "all_federated.json"), "[]");
  // English only (JupyterLab's strings; gradlab's own follow the notebook's language)
  mkdirSync(join(OUT, "api", "translations"), { recursive: true });
  const english = { en: { displayName: "English", nativeName: "English" } };
  writeFileSync(join(OUT, "api", "translations", "all.json"), JSON.stringify({ data: english, message: "" }));
  writeFileSync(join(OUT, "api", "translations", "en.json"), JSON.stringify({ data: {}, message: "" }));
  const theme = "@jupyterlab/theme-light-extension";
  const themeDir = dirname(require.resolve(`${theme}/package.json`));
  await build({
    entryPoints: [join(themeDir, "style", "theme.css")],
    bundle: true,
    outfile: join(OUT, "build", "themes", theme, "index.css"),
    assetNames: "[name]-[hash]",
    minify: true,
    logLevel: "error",
    plugins: [tildeImports],
    loader: { ".svg": "file", ".woff": "file", ".woff2": "file", ".ttf": "file", ".png": "file", ".gif": "file" },
  });
});

// The pages.
const CONFIG = {
  appName: "gradlab",
  appVersion: pkg.version,
  defaultKernelName: "gradlab",
  contentsAllJsonFile: "all.json",
  mode: "multiple-document",
  exposeAppInBrowser: "true",
  federated_extensions: [],
  disabledExtensions: [],
};
const LAB = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>gradlab</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="../build/main.css" />
    <script id="jupyter-config-data" type="application/json">${JSON.stringify(CONFIG)}</script>
    <script>
      // URLs of the site, from where it is served (any folder of any static server).
      (function () {
        const el = document.getElementById("jupyter-config-data");
        const config = JSON.parse(el.textContent);
        const base = new URL("..", window.location.href);
        config.baseUrl = base.pathname;
        config.wsUrl = "ws" + base.href.slice(4);
        config.appUrl = "/lab";
        config.fullStaticUrl = base.pathname + "build";
        config.settingsUrl = base.pathname + "build/schemas";
        // JupyterLab joins the themes URL to baseUrl (the other URLs are used as they are).
        config.themesUrl = "build/themes";
        config.fullLabextensionsUrl = base.pathname + "extensions";
        el.textContent = JSON.stringify(config);
      })();
    </script>
    <script type="module" src="../build/main.js"></script>
  </head>
  <body></body>
</html>
`;
mkdirSync(join(OUT, "lab"), { recursive: true });
writeFileSync(join(OUT, "lab", "index.html"), LAB);
writeFileSync(
  join(OUT, "index.html"),
  '<!doctype html>\n<html><head><meta charset="utf-8"><title>gradlab</title><link rel="icon" href="data:,">' +
    '<script>window.location.replace("lab/" + window.location.search + window.location.hash);</script></head><body></body></html>\n',
);

// ---------------------------------------------------------------- the notebooks

await timed("contents", async () => {
  const now = new Date().toISOString();
  const listings = new Map();
  const entry = (path, type, size) => ({
    name: basename(path),
    path,
    last_modified: now,
    created: now,
    format: null,
    mimetype: type === "notebook" ? "application/x-ipynb+json" : null,
    size,
    type,
    writable: true,
    content: null,
  });
  const listing = (path) => {
    if (!listings.has(path)) listings.set(path, []);
    return listings.get(path);
  };
  listing("");
  for (const [from, to] of NOTEBOOKS) {
    if (to) {
      const parent = to.includes("/") ? to.slice(0, to.lastIndexOf("/")) : "";
      listing(parent).push(entry(to, "directory", null));
      listing(to);
    }
    for (const f of readdirSync(join(ROOT, from))
      .filter((f) => f.endsWith(".ipynb"))
      .sort()) {
      const path = to ? `${to}/${f}` : f;
      mkdirSync(join(OUT, "files", to), { recursive: true });
      cpSync(join(ROOT, from, f), join(OUT, "files", path));
      listing(to).push(entry(path, "notebook", statSync(join(ROOT, from, f)).size));
    }
  }
  // The language of each folder's notebooks, as the Node kernel finds it for its working directory (the kernel's `location` here).
  const { startLanguage } = await import(pathToFileURL(join(ROOT, "dist", "kernel", "node", "language.js")).href);
  const languages = Object.fromEntries(NOTEBOOKS.map(([from, to]) => [to, startLanguage({}, join(ROOT, from)).language]));
  writeFileSync(join(OUT, "build", "gradlab", "languages.json"), JSON.stringify(languages));
  for (const [path, content] of listings) {
    mkdirSync(join(OUT, "api", "contents", path), { recursive: true });
    writeFileSync(join(OUT, "api", "contents", path, "all.json"), JSON.stringify({ ...entry(path, "directory", null), content }));
  }
});

// ---------------------------------------------------------------- figures

const { gzipSync } = await import("node:zlib");
let bytes = 0;
let gzipped = 0;
const files = walk(OUT);
for (const f of files) {
  const data = readFileSync(f);
  bytes += data.length;
  gzipped += gzipSync(data, { level: 9 }).length;
}
const mb = (n) => (n / 2 ** 20).toFixed(1);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
writeFileSync(stampFile, JSON.stringify({ key, files: files.length + 1, bytes, gzipped, seconds: Number(seconds), timings }, null, 1));
console.log(
  `${OUT}: ${files.length} files, ${mb(bytes)} MB (${mb(gzipped)} MB gzip-compressed), in ${seconds} s ${JSON.stringify(timings)}`,
);
