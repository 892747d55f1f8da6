/**
 * @file The second core's thread (started by simd-threads.ts): the same compiled simd.wasm on
 * the same shared memory, sleeping on the control block until the main thread posts a job, then
 * running whatever chunks of it the main thread has not claimed first. It allocates nothing per
 * job, posts no messages, and holds no handle: it is unref()'d and ends with the process.
 * Only the Node platform starts it (src/platform/node.ts): it is a worker_threads script, never
 * part of a browser bundle.
 */
import { workerData } from "node:worker_threads";
import type { SimdThreadData } from "../platform/types.js";
import { ARGS, BUSY, BY_WORKER, FAILED, READY, SEQ, WORKER_SCRATCH, runChunks, type ProductExports } from "./simd-jobs.js";

/** What simd-threads.ts passes in `workerData`. */
export type WorkerData = SimdThreadData;

interface WasmApi {
  Instance: new (module: object, imports: object) => { exports: object };
}

const data = workerData as WorkerData;
const { WebAssembly: wasm } = globalThis as unknown as { WebAssembly: WasmApi };
const exports = new wasm.Instance(data.module, { env: { memory: data.memory } }).exports as ProductExports & { scratch: { value: number } };
// $dot4x2's scratch block: bytes [64, 128), not the main thread's [0, 64) (simd-heap.ts)
exports.scratch.value = WORKER_SCRATCH;
const fn: ProductExports = exports;
const ctrl = new Int32Array(data.control);
const args = new Uint32Array(data.control, ARGS * 4);

let seen = Atomics.load(ctrl, SEQ);
Atomics.store(ctrl, READY, 1);
for (;;) {
  Atomics.wait(ctrl, SEQ, seen);
  seen = Atomics.load(ctrl, SEQ);
  // BUSY before the first claim: the main thread, having closed the job, waits for BUSY = 0
  Atomics.store(ctrl, BUSY, 1);
  try {
    Atomics.add(ctrl, BY_WORKER, runChunks(fn, ctrl, args, seen));
  } catch {
    // a trap: a chunk is missing from the job; the main thread redoes it on one thread
    Atomics.store(ctrl, FAILED, 1);
  } finally {
    Atomics.store(ctrl, BUSY, 0);
    Atomics.notify(ctrl, BUSY);
  }
}
