/**
 * @file Which script the executor process runs: the bundle `npm run build` makes of child.js and
 * every module of this package it imports (scripts/bundle-executor.mjs), when it exists and every
 * file it was made from is as it was then; else child.js itself, which imports the same modules one
 * by one. A build that changes a module without making the bundle again (`tsc` alone) so leaves a
 * bundle that is not used: an executor never runs code older than its files.
 *
 * A file is as it was when its size and mtime are the stamp's, or else its size and content (npm
 * writes an installed package's files with the time of the install, so there every file is read:
 * about 0.75 MB, a few milliseconds).
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

const NODE_DIR = import.meta.dirname;
const DIST = join(NODE_DIR, "..", "..");
/** The executor's entry point, as a module of its own. */
export const CHILD = join(NODE_DIR, "child.js");
/** The executor's entry point with every module it imports from this package. */
export const BUNDLE = join(NODE_DIR, "executor.bundle.js");
/** The bundle's stamp: `{ inputs: { [path in dist/]: [size, mtimeMs, sha1] } }`. */
export const BUNDLE_STAMP = join(NODE_DIR, "executor.bundle.json");

/** A module's entry in the stamp: its size, mtime and SHA-1 (the build's, scripts/bundle-executor.mjs). */
export function stampOf(path: string): [number, number, string] {
  const st = statSync(path);
  return [st.size, st.mtimeMs, sha1Of(path)];
}

const sha1Of = (path: string): string => createHash("sha1").update(readFileSync(path)).digest("hex");

/** Whether the bundle exists and was made from the files as they are now. */
export function bundleIsCurrent(bundle = BUNDLE, stampFile = BUNDLE_STAMP, dist = DIST): boolean {
  try {
    statSync(bundle);
    const { inputs } = JSON.parse(readFileSync(stampFile, "utf8")) as { inputs: Record<string, [number, number, string]> };
    const files = Object.entries(inputs);
    if (files.length === 0) return false;
    for (const [file, [size, mtimeMs, sha1]] of files) {
      const path = join(dist, file);
      const st = statSync(path);
      if (st.size !== size) return false;
      if (st.mtimeMs !== mtimeMs && sha1Of(path) !== sha1) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The script the executor runs (the module's comment). */
export function executorScript(): string {
  return bundleIsCurrent() ? BUNDLE : CHILD;
}

/** An executor's script on a command line: CHILD or BUNDLE, under kernel/node/. */
const EXECUTOR_SCRIPT = new RegExp(
  `kernel[/\\\\]node[/\\\\](?:${[CHILD, BUNDLE].map((f) => basename(f).replaceAll(".", "\\.")).join("|")})`,
);

/** Whether a process's command line is an executor's (for tools that find the kernel's processes). */
export function isExecutorCommand(cmdline: string): boolean {
  return EXECUTOR_SCRIPT.test(cmdline);
}
