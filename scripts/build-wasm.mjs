/**
 * @file `npm run build` step: assembles the hand-written WebAssembly text src/tensor/simd.wat
 * into dist/src/tensor/simd.wasm with wabt (a devDependency), beside the compiled simd.js that
 * loads it. The binary is built, never committed or downloaded.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const source = fileURLToPath(new URL("../src/tensor/simd.wat", import.meta.url));
const target = fileURLToPath(new URL("../dist/src/tensor/simd.wasm", import.meta.url));

const wabt = await require("wabt")();
// threads: the memory is shared with the worker of simd-threads.ts
const features = { simd: true, threads: true };
const module = wabt.parseWat(source, readFileSync(source, "utf8"), features);
module.validate(features);
const { buffer } = module.toBinary({});
module.destroy();
mkdirSync(fileURLToPath(new URL("../dist/src/tensor/", import.meta.url)), { recursive: true });
writeFileSync(target, buffer);
