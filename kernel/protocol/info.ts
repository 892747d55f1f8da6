/** @file The kernel_info_reply content. */
import type { MemoryLimits } from "../node/limits.js";
import { VERSION } from "../kernelspec.js";
import { PROTOCOL_VERSION } from "./wire.js";

/**
 * What the kernel tells front ends about itself (protocol 5.3, TypeScript language_info).
 *
 * @example
 * kernelInfo().language_info.name // "typescript"
 */
export function kernelInfo(limits?: MemoryLimits) {
  const memory = limits
    ? ` Cells may use ${(limits.budget / 2 ** 30).toFixed(1)} GB of memory (JavaScript heap ${limits.heapMb} MB; ${limits.source}).`
    : "";
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "gradlab",
    implementation_version: VERSION,
    language_info: {
      name: "typescript",
      version: "5.0",
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      codemirror_mode: { name: "javascript", typescript: true },
    },
    banner: "gradlab: TypeScript with automatic differentiation (tslab-based kernel). %lsmagic lists magics." + memory,
    help_links: [
      { text: "tslab (the kernel gradlab builds on)", url: "https://github.com/yunabe/tslab" },
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "Jupyter messaging", url: "https://jupyter-client.readthedocs.io/en/stable/messaging.html" },
    ],
  };
}
