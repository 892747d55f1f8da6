/** @file The W1 loss in @tensorflow/tfjs-core on its wasm backend (float32): the library baseline. */
import { register, createRequire } from "node:module";
import { dirname } from "node:path";

/** A loaded tfjs W1 problem: `valueAndGrad()` runs one value + gradient and reads both back. */
export interface TfjsLogistic {
  /** Value and gradient as Float64 numbers (computed in float32 by tfjs). */
  valueAndGrad(): [number, Float64Array];
  /** Backend name and the wasm flags that matter for speed (SIMD, threads). */
  info: Record<string, unknown>;
  dispose(): void;
}

/**
 * Loads tfjs-core with the wasm backend from node_modules (no download) and builds the W1 loss
 * sum(softplus(A x)) with A (m x n) and x given as Float64 row-major data, converted to float32.
 *
 * @example
 * const tf = await loadTfjsLogistic(a, x, 4000, 1000);
 * const [value, g] = tf.valueAndGrad();
 */
export async function loadTfjsLogistic(a: Float64Array, x: Float64Array, m: number, n: number): Promise<TfjsLogistic> {
  register("./tfjs-hook.js", import.meta.url);
  const tf = await import("@tensorflow/tfjs-core");
  await import("@tensorflow/tfjs-core/dist/register_all_gradients.js" as string);
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const require = createRequire(import.meta.url);
  const wasmDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));
  wasm.setWasmPaths(`${wasmDir}/`);
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs: the wasm backend failed to initialize");
  await tf.ready();
  const A = tf.tensor2d(Float32Array.from(a), [m, n]);
  const x0 = tf.tensor2d(Float32Array.from(x), [n, 1]);
  const f = tf.valueAndGrad((v: import("@tensorflow/tfjs-core").Tensor) => tf.sum(tf.softplus(tf.matMul(A, v))));
  const info = {
    backend: tf.getBackend(),
    version: tf.version_core,
    simd: await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"),
    multithread: await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"),
    dtype: "float32",
  };
  return {
    info,
    valueAndGrad() {
      const { value, grad } = f(x0);
      const out: [number, Float64Array] = [value.dataSync()[0], Float64Array.from(grad.dataSync())];
      value.dispose();
      grad.dispose();
      return out;
    },
    dispose() {
      A.dispose();
      x0.dispose();
    },
  };
}
