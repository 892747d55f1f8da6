/**
 * @file The browser platform (what `#platform` resolves to under the `browser` condition, as in
 * `npm run bundle:browser`): a page or a Web Worker, no Node built-ins.
 *
 * - The SIMD kernels' module is fetched beside this module (simd-unshared.wasm, which the bundle
 *   script assembles; else `../tensor/simd.wasm` of the unbundled build). The kernels run on this
 *   thread only: no second thread is started, so every product takes the one-thread path, which
 *   gives the same bits as the split one.
 * - Graphviz (@viz-js/viz) can only be instantiated asynchronously, and a browser thread cannot
 *   block on another; so it is instantiated while this module loads (a top-level await), and
 *   `renderDot` is then synchronous, as on Node. Importing the library resolves once the SIMD module
 *   is fetched and Graphviz compiled.
 * - plotly.js is read on the first figure displayed, by a synchronous request for
 *   `plotly.min.js` beside this module (allowed in a Web Worker; on a page's main thread browsers
 *   allow it with a deprecation warning).
 * - Memory counters: none (`measure/memory.ts` then says it needs Node).
 */
import { instance, type Viz } from "@viz-js/viz";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";
import { inspectValue } from "./inspect.js";
import type { Platform, SimdBinary } from "./types.js";

/** The part of XMLHttpRequest used here (tsconfig's lib "ES2022" declares none of the DOM). */
interface Xhr {
  open(method: string, url: string, async: boolean): void;
  overrideMimeType(mime: string): void;
  send(): void;
  readonly status: number;
  readonly responseText: string;
}
const XhrClass = (globalThis as { XMLHttpRequest?: new () => Xhr }).XMLHttpRequest;

/** The bytes at `url`, or null when it is not served. */
async function fetchBytes(url: URL): Promise<Uint8Array | null> {
  try {
    const res = await fetch(url);
    return res.ok ? new Uint8Array(await res.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/**
 * The SIMD kernels' module: the bundle's simd-unshared.wasm (its memory not shared: a browser
 * may allow shared memory only to cross-origin isolated pages, and one thread needs none), else the
 * unbundled build's simd.wasm (shared memory: where the browser refuses it, the plain kernels run).
 */
async function simdModule(): Promise<SimdBinary | null> {
  const unshared = await fetchBytes(new URL("./simd-unshared.wasm", import.meta.url));
  if (unshared) return { bytes: unshared, shared: false };
  const shared = await fetchBytes(new URL("../tensor/simd.wasm", import.meta.url));
  return shared && { bytes: shared, shared: true };
}

/** The text at `url`, read synchronously. */
function readTextSync(url: URL): string {
  if (XhrClass === undefined) throw new Error("no XMLHttpRequest");
  const xhr = new XhrClass();
  xhr.open("GET", url.href, false);
  xhr.overrideMimeType("text/plain; charset=utf-8");
  xhr.send();
  if (xhr.status !== 200) throw new Error(`HTTP ${xhr.status}`);
  return xhr.responseText;
}

const [simd, graphviz] = await Promise.all([
  simdModule(),
  instance().then(
    (viz): Viz | Error => viz,
    (e: unknown): Viz | Error => (e instanceof Error ? e : new Error(String(e))),
  ),
]);

let viz: Viz | Error = graphviz;
let plotly: string | undefined;

/** A UUID (version 4) from 16 random bytes, for pages that are not a secure context (no randomUUID). */
function uuidFromBytes(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

/** The browser platform. @example platform.name // "browser" */
export const platform: Platform = {
  name: "browser",
  env: () => undefined,
  simdBinary: () => simd,
  simdThreads: false,
  startSimdThread: () => null,
  renderDot(dot, engine) {
    if (viz instanceof Error) throw new GradlabError("graph: " + tr("Graphviz failed: {why}", { why: viz.message }));
    try {
      const r = viz.render(dot, { format: "svg", engine });
      if (r.status === "success") return r.output!;
      throw new GradlabError(
        "graph: " + tr("Graphviz failed: {why}", { why: r.errors.map((e) => e.message).join("; ") || "unknown Graphviz error" }),
      );
    } catch (e) {
      if (e instanceof GradlabError) throw e;
      // a WebAssembly trap (e.g. stack overflow) may leave the instance broken: start afresh
      void instance().then(
        (fresh) => (viz = fresh),
        (err: unknown) => (viz = err instanceof Error ? err : new Error(String(err))),
      );
      viz = new Error(tr("Graphviz is starting again after a failure; run the cell again"));
      throw new GradlabError("graph: " + tr("Graphviz failed: {why}", { why: e instanceof Error ? e.message : String(e) }));
    }
  },
  plotlySource() {
    if (plotly !== undefined) return plotly;
    const url = new URL("./plotly.min.js", import.meta.url);
    try {
      return (plotly = readTextSync(url));
    } catch (e) {
      throw new GradlabError(
        tr("plotly.js could not be read from {url}: {why}", { url: url.href, why: e instanceof Error ? e.message : String(e) }),
      );
    }
  },
  memory: null,
  randomId: () => (typeof crypto.randomUUID === "function" ? crypto.randomUUID().replaceAll("-", "") : uuidFromBytes()),
  inspect: (value, depth) => inspectValue(value, depth),
};
