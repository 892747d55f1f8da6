/**
 * @file Where the executor's V8 startup snapshot for a set of flags is (compiler/snapshot.ts builds
 * it): a file named by a key of the Node binary, the flags and the files it is built from. The
 * protocol process calls {@link findSnapshot} before each spawn, so this module imports Node's
 * built-ins only, nothing of the compiler.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
/** The snapshot's script (compiler/snapshot-entry.cts). */
export const ENTRY = join(import.meta.dirname, "compiler", "snapshot-entry.cjs");
/** Where `npm run build` puts the snapshots: dist/snapshot (not in the npm package: they are large, and built per machine). */
export const BUILT_DIR = join(import.meta.dirname, "..", "..", "snapshot");

/** Flags that do not change what V8 accepts (profilers write files at exit): left out of the key. */
const KEYLESS = /^--(cpu|heap)-prof/;

function stamp(file: string): string {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? `${file}\0${st.size}\0${st.mtimeMs}` : `${file}\0-`;
}

/**
 * The snapshot's file name for an executor started with `flags` (Node and V8 flags, before the
 * script): a key of the Node binary, the flags and the files the snapshot is built from.
 */
export function snapshotName(flags: readonly string[]): string {
  const key = createHash("sha256")
    .update([process.version, process.arch, process.execPath, ...flags.filter((f) => !KEYLESS.test(f))].join("\0"))
    .update(stamp(require.resolve("@tslab/typescript-for-tslab")))
    .update(stamp(require.resolve("@types/node/package.json")))
    // The script by its text (a build rewrites it unchanged).
    .update(existsSync(ENTRY) ? readFileSync(ENTRY) : "-")
    .digest("hex")
    .slice(0, 16);
  return `executor-${key}.blob`;
}

/**
 * The snapshot to start an executor with `flags` from, or undefined: none was built for them, or
 * `GRADLAB_SNAPSHOT=0`. `GRADLAB_SNAPSHOT_DIR` names another folder to look in (tests).
 *
 * @example
 * findSnapshot(["--max-old-space-size=4096"]) // "/path/to/gradlab/dist/snapshot/executor-1a2b....blob"
 */
export function findSnapshot(flags: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GRADLAB_SNAPSHOT === "0") return undefined;
  try {
    const file = join(env.GRADLAB_SNAPSHOT_DIR || BUILT_DIR, snapshotName(flags));
    return existsSync(file) ? file : undefined;
  } catch {
    // (A package it names cannot be resolved: no snapshot, the kernel starts as without one.)
    return undefined;
  }
}
