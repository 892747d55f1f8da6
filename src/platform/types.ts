/**
 * @file What the library needs from its host and cannot write in plain ECMAScript: the bytes of
 * simd.wasm, a second thread for the large products, Graphviz, plotly.js's source, the memory
 * counters, random ids and a printer for values.
 *
 * Two implementations fill it, and the package.json "imports" entry `#platform` picks one when a
 * module is resolved, by the standard conditions: `browser` (esbuild's and other bundlers'
 * platform=browser) gets browser.ts, everything else (Node, tsc) node.ts. A library module imports
 * `{ platform } from "#platform"` and never a `node:` module, so a browser bundle holds none.
 * Each platform module imports nothing of the library but its errors and messages, so it loads
 * first and may be used while the library loads (simd.ts loads its kernels at import).
 */

/** simd.wasm's bytes, and whether the memory it imports is shared (a second thread may use it). */
export interface SimdBinary {
  bytes: Uint8Array;
  shared: boolean;
}

/** What simd-threads.ts hands the second thread (simd-worker.ts). */
export interface SimdThreadData {
  module: object;
  memory: object;
  control: SharedArrayBuffer;
}

/** A second thread running simd-worker.ts; it never keeps the process alive. */
export interface SimdThread {
  /** Stops the thread (its pending chunks are then run by the main thread). */
  terminate(): void;
}

/** The memory counters behind measure/memory.ts. */
export interface MemoryCounters {
  /** One garbage collection: the young generation only ("minor") or the whole heap ("major"). */
  collect(collection: "minor" | "major"): void;
  /** Bytes of typed-array storage the engine holds now (live, and garbage not yet given back). */
  arrayBufferBytes(): number;
}

/** One platform: Node (node.ts) or a browser (browser.ts). */
export interface Platform {
  readonly name: "node" | "browser";
  /**
   * A setting of the environment (`GRADLAB_WASM`, `GRADLAB_THREADS`), undefined when unset; a
   * browser has none.
   */
  env(name: string): string | undefined;
  /** The SIMD kernels' module, or null when it was not built (or not served beside the bundle). */
  simdBinary(): SimdBinary | null;
  /**
   * Starts the second thread of the SIMD kernels (simd-worker.ts) on `data`; null when the
   * platform runs products on one thread, the script was not built, or the thread cannot start.
   * `onStop` is called when the thread fails or exits.
   */
  startSimdThread(data: SimdThreadData, onStop: () => void): SimdThread | null;
  /** Whether {@link startSimdThread} can ever start a thread. */
  readonly simdThreads: boolean;
  /**
   * DOT rendered to SVG by Graphviz (what it writes, header included), synchronously. Throws a
   * GradlabError when Graphviz fails or cannot run.
   */
  renderDot(dot: string, engine: string): string;
  /** plotly.js-dist-min's bundle as text (about 4.8 MB), read on first use. */
  plotlySource(): string;
  /** The memory counters, or null when the platform has none (a browser). */
  readonly memory: MemoryCounters | null;
  /** A random UUID (version 4) without its dashes: 32 lowercase hex digits. */
  randomId(): string;
  /** A value as text, objects `depth` levels deep (Node's util.inspect in Node). */
  inspect(value: unknown, depth: number): string;
}
