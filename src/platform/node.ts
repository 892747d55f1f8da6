/**
 * @file The Node platform (what `#platform` resolves to outside a browser bundle): files are read
 * from disk, the second SIMD thread and Graphviz run in worker threads, memory is counted by V8.
 */
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { Worker } from "node:worker_threads";
import { renderDot } from "./node-graphviz.js";
import type { MemoryCounters, Platform, SimdThread, SimdThreadData } from "./types.js";

/** V8's collector: a full collection with no options, the young generation with `{ type: "minor" }`. */
type GcFn = (opts?: { type: "minor" }) => void;
let collector: GcFn | null = null;

/**
 * The collector, exposed on first use, with `--no-concurrent-array-buffer-sweeping`: a full
 * collection (`gc()` without options) then gives dead typed-array storage back during the
 * collection itself (measure/memory.ts says why the readings need it).
 */
function gc(): GcFn {
  if (collector === null) {
    v8.setFlagsFromString("--expose-gc");
    v8.setFlagsFromString("--no-concurrent-array-buffer-sweeping");
    collector = vm.runInNewContext("gc") as GcFn;
  }
  return collector;
}

const memory: MemoryCounters = {
  // a full collection is V8's `gc()` without options: with `{ type: "major" }` V8 does not always
  // free the storage of dead typed arrays it has just marked
  collect: (collection) => (collection === "minor" ? gc()({ type: "minor" }) : gc()()),
  arrayBufferBytes: () => process.memoryUsage().arrayBuffers,
};

let plotly: string | undefined;

/**
 * A file built beside the library's modules: `dir/name` in dist/src/, found from dist/src/platform/
 * (the package) or from src/platform/ (running from sources, as tests do).
 */
function built(dir: string, name: string): URL[] {
  return [new URL(`../${dir}/${name}`, import.meta.url), new URL(`../../dist/src/${dir}/${name}`, import.meta.url)];
}

/**
 * The second SIMD thread: simd-worker.js, started with a small JavaScript
 * heap (it only runs WebAssembly) and no execArgv (the process's --input-type, --cpu-prof, ...
 * are not meant for it), unref()'d.
 */
function startSimdThread(workerData: SimdThreadData, onStop: () => void): SimdThread | null {
  const script = built("tensor", "simd-worker.js").find((url) => existsSync(fileURLToPath(url)));
  if (script === undefined) return null;
  let worker: Worker;
  try {
    worker = new Worker(script, {
      workerData,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4, stackSizeMb: 1 },
    });
  } catch {
    return null;
  }
  worker.unref();
  worker.on("error", onStop);
  worker.on("exit", onStop);
  return { terminate: () => void worker.terminate() };
}

/** The Node platform. @example platform.env("GRADLAB_WASM") // "0" or undefined */
export const platform: Platform = {
  name: "node",
  env: (name) => process.env[name],
  simdBinary() {
    for (const url of built("tensor", "simd.wasm")) {
      try {
        return { bytes: readFileSync(url), shared: true };
      } catch {
        // not built here: try the next place
      }
    }
    return null;
  },
  simdThreads: true,
  startSimdThread,
  renderDot,
  plotlySource: () => (plotly ??= readFileSync(createRequire(import.meta.url).resolve("plotly.js-dist-min"), "utf8")),
  memory,
  randomId: () => randomUUID().replaceAll("-", ""),
  inspect: (value, depth) => inspect(value, { depth }),
};
