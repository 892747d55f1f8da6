/**
 * @file A Node module-resolution hook that lets Node load tfjs-core's ES-module build, whose relative
 * imports have no file extension (`./gradients/Abs_grad`). Only `register_all_gradients` needs it: the
 * CommonJS bundle Node loads for `@tensorflow/tfjs-core` ships no gradient functions, and the
 * umbrella `@tensorflow/tfjs` package that normally registers them is not installed.
 * The two builds share tfjs's global engine and gradient registry, so registering through the ES
 * build makes `tf.valueAndGrad` work with the CommonJS build and the wasm backend.
 */
import { existsSync } from "node:fs";
import type { ResolveHook } from "node:module";
import { fileURLToPath } from "node:url";

/**
 * Adds `.js` (or `/index.js` for a folder) to extensionless relative imports inside tfjs-core's dist.
 *
 * @example
 * register(new URL("./tfjs-hook.js", import.meta.url));
 */
export const resolve: ResolveHook = (specifier, context, nextResolve) => {
  const inTfjsCore = context.parentURL?.includes("/@tensorflow/tfjs-core/dist/") ?? false;
  const relative = specifier.startsWith("./") || specifier.startsWith("../");
  if (!inTfjsCore || !relative || specifier.endsWith(".js")) return nextResolve(specifier, context);
  const file = new URL(`${specifier}.js`, context.parentURL);
  const target = existsSync(fileURLToPath(file)) ? file : new URL(`${specifier}/index.js`, context.parentURL);
  return nextResolve(target.href, context);
};
