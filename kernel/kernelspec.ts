/** @file How Jupyter starts gradlab's kernel: its name, its command line and its kernel.json. */
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** The kernelspec's directory name. */
export const KERNEL_NAME = "gradlab";

/**
 * The package's root (the folder of package.json), whether this module runs built
 * (`dist/kernel/kernelspec.js`) or from its source (`kernel/kernelspec.ts`, under vitest).
 */
export const PACKAGE_ROOT =
  basename(dirname(import.meta.dirname)) === "dist" ? dirname(dirname(import.meta.dirname)) : dirname(import.meta.dirname);

/** gradlab's version: package.json's, the one place it is written. */
export const VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;

/**
 * V8 flags of the kernel's protocol process (the executor has its own, kernel/protocol/host.ts).
 * `--lite-mode` (V8's interpreter only): the process only passes messages between ZeroMQ and the
 * executor, and its CPU per cell is the same without V8's compilers; their code, which it no
 * longer touches, was 5 MB of its 55 MB resident. Lite mode has no WebAssembly, which V8 says on
 * stderr (the kernel's log) unless it is turned off as well.
 */
export const PROTOCOL_FLAGS: readonly string[] = ["--lite-mode", "--no-expose-wasm"];

/**
 * The command line Jupyter starts gradlab's kernel with: this package's launcher run by the
 * current node (the one kernel command line: kernel.json and the runner's own kernels).
 *
 * @example
 * kernelArgv() // [process.execPath, "--lite-mode", "--no-expose-wasm", "/path/to/gradlab/bin/gradlab.js", "kernel", "{connection_file}"]
 */
export function kernelArgv(): string[] {
  return [process.execPath, ...PROTOCOL_FLAGS, join(PACKAGE_ROOT, "bin", "gradlab.js"), "kernel", "{connection_file}"];
}

/**
 * gradlab's kernel.json: this repo's launcher run by the current node, absolute paths.
 *
 * @example
 * kernelJson().argv // ["/usr/bin/node", "--lite-mode", "--no-expose-wasm", "/path/to/gradlab/bin/gradlab.js", "kernel", "{connection_file}"]
 */
export function kernelJson() {
  return {
    argv: kernelArgv(),
    display_name: "TypeScript (gradlab)",
    language: "typescript",
    // Both modes work; "signal" lets the front end interrupt without a control-channel round trip.
    interrupt_mode: "signal",
    metadata: { gradlab_repo: PACKAGE_ROOT },
  };
}
