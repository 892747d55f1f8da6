/// <reference lib="dom" />
/**
 * @file The library bundled for browsers (scripts/bundle-browser.mjs) runs in headless Chromium,
 * in a module Web Worker: gradients equal their closed forms, a product above the SIMD threshold
 * is computed by the WebAssembly kernel (the same bits as Node's SIMD kernel, which differ from the
 * plain loop's) and equals plain JavaScript, Graphviz draws synchronously, plotly.js is fetched,
 * the memory measures say they need Node, and the bundle imports no Node built-in.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { matmul, reshape, tensor } from "gradlab";
import { setSimdMode, simdAvailable } from "../../../src/tensor/simd.js";
import { assertBuilt, REPO } from "../../support/build.js";
import { launch, type Browser } from "../../support/chromium.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json",
};

/** The page: nothing but a place to start the worker from. */
const PAGE = '<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body></body></html>\n';

/**
 * The worker: imports the bundle, computes, and posts back plain numbers and texts (the test
 * compares them with answers computed here, independently of the bundle).
 */
const WORKER = `
self.onmessage = async ({ data }) => {
  try {
    const g = await import("./gradlab.js");
    const out = {};
    // f(x) = sum(x * x): grad 2x
    out.square = Array.from(g.grad((x) => g.sum(g.mul(x, x)))(data.x).data);
    // h(W, x) = log(sum(exp(W x))): dh/dx = Wᵀ softmax(W x), dh/dW = softmax(W x) xᵀ
    const h = (W, x) => g.log(g.sum(g.exp(g.matmul(W, x))));
    const [dW, dx] = g.grad(h, { argnums: [0, 1] })(data.W, data.x);
    out.dW = dW.toArray();
    out.dx = Array.from(dx.data);
    out.h = g.valueAndGrad(h)(data.W, data.x)[0].item();
    // products above the SIMD threshold
    const A = g.reshape(g.tensor(data.a), [data.m, data.n]);
    out.matvec = Array.from(g.matmul(A, g.tensor(data.v)).data);
    const P = g.reshape(g.tensor(data.p), [data.pm, data.pn]);
    const Q = g.reshape(g.tensor(data.q), [data.pn, data.pp]);
    out.matmat = Array.from(g.matmul(P, Q).data);
    // Graphviz, synchronously
    const svg = g.graph((x) => g.sum(g.mul(x, x)), data.x)[g.JUPYTER_DISPLAY]();
    out.svg = svg["image/svg+xml"] ?? svg["text/html"];
    // plotly.js put into the first figure's HTML
    out.plotHtml = g.plotFunction((x) => g.sigmoid(x), { range: [-3, 3], points: 31 })[g.JUPYTER_DISPLAY]()["text/html"];
    // memory measures need Node
    try { g.liveBytes(); out.liveBytes = "no error"; } catch (e) { out.liveBytes = (e instanceof g.GradlabError ? "GradlabError: " : "not a GradlabError: ") + e.message; }
    out.memoryUnavailable = g.memoryUnavailable();
    // widget ids and printed values
    out.modelId = g.slider({ min: 0, max: 1 }).modelId;
    out.printed = g.bundleOf({ a: [1, 2], s: "x" })["text/plain"];
    self.postMessage({ ok: true, out });
  } catch (e) {
    self.postMessage({ ok: false, error: String(e && e.stack || e) });
  }
};
`;

/** Fixed pseudo-random numbers in [-1, 1) (a linear congruential generator), the same every run. */
function numbers(count: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Plain JavaScript y = A v for A m x n (row-major), summed left to right. */
function plainMatvec(a: number[], v: number[], m: number, n: number): number[] {
  return Array.from({ length: m }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
    return s;
  });
}

const x = [1, -2, 3.5];
const W = [
  [0.5, -1, 0.25],
  [2, 0.1, -0.3],
  [-0.7, 0.4, 1.2],
  [0, 0.3, -0.9],
];
// matrix-vector: 200 x 300 = 60000 multiply-adds, above the SIMD threshold (4096)
const m = 200;
const n = 300;
const a = numbers(m * n, 1);
const v = numbers(n, 2);
// matrix-matrix with small integers: every partial sum is exact, so any order gives the same result
const [pm, pn, pp] = [40, 50, 30];
const p = numbers(pm * pn, 3).map((t) => Math.round(t * 9));
const q = numbers(pn * pp, 4).map((t) => Math.round(t * 9));

let dir: string;
let server: Server | undefined;
let browser: Browser | undefined;
let page: Page;
let origin: string;
const requested: string[] = [];

beforeAll(async () => {
  assertBuilt(["src"]);
  dir = mkdtempSync(join(tmpdir(), "gradlab-browser-bundle-"));
  const bundled = spawnSync(process.execPath, [join(REPO, "scripts", "bundle-browser.mjs"), "--out", dir], { encoding: "utf8" });
  if (bundled.status !== 0) throw new Error(`bundle-browser failed:\n${bundled.stdout}\n${bundled.stderr}`);
  writeFileSync(join(dir, "index.html"), PAGE);
  writeFileSync(join(dir, "check.js"), WORKER);
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    requested.push(path);
    const file = join(dir, path === "/" ? "index.html" : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server!.listen(0, "127.0.0.1", ok));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await launch();
  page = await browser.context.newPage();
  await page.goto(`${origin}/`);
});

afterAll(async () => {
  await browser?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((ok) => server!.close(() => ok()));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Results {
  square: number[];
  dW: number[][];
  dx: number[];
  h: number;
  matvec: number[];
  matmat: number[];
  svg: string;
  plotHtml: string;
  liveBytes: string;
  memoryUnavailable: string | null;
  modelId: string;
  printed: string;
}

/** Runs check.js in a module Web Worker of the page and returns what it posts. */
async function runWorker(): Promise<Results> {
  const inputs = { x, W, m, n, a, v, pm, pn, pp, p, q };
  const reply = await page.evaluate(
    (data) =>
      new Promise<{ ok: boolean; out?: unknown; error?: string }>((resolve) => {
        const worker = new Worker("./check.js", { type: "module" });
        worker.onmessage = (e: MessageEvent) => {
          worker.terminate();
          resolve(e.data as { ok: boolean; out?: unknown; error?: string });
        };
        worker.onerror = (e: ErrorEvent) => {
          worker.terminate();
          resolve({ ok: false, error: e.message || "the worker failed to load" });
        };
        worker.postMessage(data);
      }),
    inputs,
  );
  if (!reply.ok) throw new Error(`in the worker: ${reply.error}`);
  return reply.out as Results;
}

describe("the browser bundle in Chromium, in a module Web Worker", () => {
  let r: Results;
  beforeAll(async () => {
    r = await runWorker();
  });

  it("imports no Node built-in", () => {
    const bundle = readFileSync(join(dir, "gradlab.js"), "utf8");
    expect(bundle).not.toMatch(/\b(?:from|import|require)\s*\(?\s*["']node:/);
    expect(bundle).not.toMatch(/\bcreateRequire\b|\bworker_threads\b/);
  });

  it("gives the gradient of sum(x * x) as 2x", () => {
    expect(r.square).toEqual(x.map((t) => 2 * t));
  });

  it("gives the gradients of log(sum(exp(W x))) as their closed forms", () => {
    const z = plainMatvec(W.flat(), x, W.length, x.length);
    const top = Math.max(...z);
    const e = z.map((t) => Math.exp(t - top));
    const total = e.reduce((s, t) => s + t, 0);
    const softmax = e.map((t) => t / total);
    expect(r.h).toBeAllclose(top + Math.log(total));
    expect(r.dx).toBeAllclose(x.map((_, j) => W.reduce((s, row, i) => s + row[j] * softmax[i], 0)));
    expect(r.dW).toBeAllclose(W.map((_, i) => x.map((t) => softmax[i] * t)));
  });

  it("computes a product above the SIMD threshold with the WebAssembly kernel: Node's SIMD bits, plain JavaScript's value", () => {
    expect(simdAvailable()).toBe(true);
    const A = reshape(tensor(a), [m, n]);
    const before = setSimdMode("always");
    let simd: number[];
    let plain: number[];
    try {
      simd = Array.from(matmul(A, tensor(v)).data);
      setSimdMode("off");
      plain = Array.from(matmul(A, tensor(v)).data);
    } finally {
      setSimdMode(before);
    }
    // the kernels sum in different orders: bit-equality with the SIMD one shows which ran
    expect(simd).not.toEqual(plain);
    expect(r.matvec).toEqual(simd);
    expect(r.matvec).toBeAllclose(plainMatvec(a, v, m, n), { rtol: 1e-12, atol: 1e-12 });
    expect(requested).toContain("/simd-unshared.wasm");
  });

  it("computes an integer matrix product exactly as plain JavaScript does", () => {
    const want: number[] = [];
    for (let i = 0; i < pm; i++)
      for (let j = 0; j < pp; j++) {
        let s = 0;
        for (let k = 0; k < pn; k++) s += p[i * pn + k] * q[k * pp + j];
        want.push(s);
      }
    expect(r.matmat).toEqual(want);
  });

  it("draws the computational graph with Graphviz, synchronously", () => {
    expect(r.svg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    // x, x * x, sum: three vertices
    expect(r.svg.match(/class="node"/g)).toHaveLength(3);
  });

  it("puts plotly.js, fetched beside the bundle, into the first figure's HTML", () => {
    const plotly = readFileSync(join(dir, "plotly.min.js"), "utf8");
    expect(r.plotHtml.startsWith("<script>if (!window.Plotly)")).toBe(true);
    expect(r.plotHtml.length).toBeGreaterThan(plotly.length);
    expect(requested).toContain("/plotly.min.js");
  });

  it("says that memory measures need Node", () => {
    expect(r.liveBytes).toMatch(/^GradlabError: liveBytes: .*browser/);
    // said beforehand, in the same words
    expect(`liveBytes: ${r.memoryUnavailable}`).toBe(r.liveBytes.replace(/^GradlabError: /, ""));
  });

  it("gives widgets random ids and prints values as Node does", () => {
    expect(r.modelId).toMatch(/^[0-9a-f]{32}$/);
    expect(r.printed).toBe("{ a: [ 1, 2 ], s: 'x' }");
  });
});
