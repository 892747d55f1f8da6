/**
 * @file Where the executor's V8 startup snapshots are (snapshot.ts builds them), and their
 * building in the background when a kernel finds none for its flags.
 *
 * A snapshot is a file named by a key of the Node binary, the flags and the files it is built from
 * (`executor-<key>.blob`), with a seal beside it (`executor-<key>.json`: the blob's size, mtime
 * and a hash of its last MiB, written once the blob is in place). Node crashes on a truncated
 * or overwritten blob instead of refusing it, so a blob is used only when its seal matches it: a
 * half-written, copied-over or replaced file is never loaded. Snapshots of several keys live side
 * by side (one per memory limit in use).
 *
 * Folders: `GRADLAB_SNAPSHOT_DIR` alone when set; otherwise the package's dist/snapshot (where
 * `npm run build` and `gradlab install --mem-limit` put them), then the user's cache
 * (`$XDG_CACHE_HOME/gradlab/snapshot`, by default `~/.cache/gradlab/snapshot`).
 *
 * When none of a kernel's key is found, {@link findSnapshot} starts a builder (snapshot-builder.ts)
 * into the first of those folders it can write, unless one builds that key already: a detached
 * process at the lowest priority, which outlives the kernel, holds the key's lock file
 * (`executor-<key>.lock`, created exclusively) while it builds, writes the blob under a temporary
 * name in the same folder and renames it into place, then seals it. Its outcome is appended to
 * `build.log` in that folder; after a failure the key is not tried again for a day
 * (`executor-<key>.failed`). `GRADLAB_SNAPSHOT_BUILD=0` turns the building off, `GRADLAB_SNAPSHOT=0`
 * the snapshot altogether.
 *
 * The protocol process calls {@link findSnapshot} before each spawn, so this module imports Node's
 * built-ins only, nothing of the compiler.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { createRequire } from "node:module";
import { homedir, setPriority } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
/** The snapshot's script (snapshot-entry.cts). */
export const ENTRY = join(import.meta.dirname, "snapshot-entry.cjs");
/** Where `npm run build` puts the snapshots: dist/snapshot (not in the npm package: they are large, and built per machine). */
export const BUILT_DIR = join(import.meta.dirname, "..", "..", "snapshot");
/**
 * The library's declarations, which a snapshot holds parsed with every file they import (a build
 * writes them all again: this one's stamp stands for all of them).
 */
export const LIBRARY_DECLARATIONS = join(import.meta.dirname, "..", "..", "src", "index.d.ts");
/** The background builder's script. */
const BUILDER = join(import.meta.dirname, "snapshot-builder.js");

/** Flags that do not change what V8 accepts (profilers write files at exit): left out of the key. */
const KEYLESS = /^--(cpu|heap)-prof/;
/** The bytes at the blob's end that its seal hashes (a blob cut short or overwritten there fails it). */
const TAIL = 2 ** 20;
/** A lock whose builder never wrote its pid is taken over after this long. */
const LOCK_UNCLAIMED_MS = 30_000;
/** A lock is taken over after this long whatever it says (a build takes seconds of CPU). */
const LOCK_MAX_MS = 15 * 60_000;
/** A key whose build failed is not tried again before this. */
const RETRY_FAILED_MS = 24 * 3600_000;

function stamp(file: string): string {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? `${file}\0${st.size}\0${st.mtimeMs}` : `${file}\0-`;
}

/**
 * The snapshot's file name for an executor started with `flags` (Node and V8 flags, before the
 * script): a key of the Node binary, the flags and the files the snapshot is built from. A snapshot
 * whose parsed declarations are older than their files would still start an executor, but its
 * first compile would parse them all again: the library's are in the key (`library`, for tests).
 */
export function snapshotName(flags: readonly string[], library = LIBRARY_DECLARATIONS): string {
  const key = createHash("sha256")
    .update([process.version, process.arch, process.execPath, ...flags.filter((f) => !KEYLESS.test(f))].join("\0"))
    .update(stamp(require.resolve("@tslab/typescript-for-tslab")))
    .update(stamp(require.resolve("@types/node/package.json")))
    .update(stamp(library))
    // The script by its text (a build rewrites it unchanged).
    .update(existsSync(ENTRY) ? readFileSync(ENTRY) : "-")
    .digest("hex")
    .slice(0, 16);
  return `executor-${key}.blob`;
}

/** The file beside a blob named `name` with another ending (`.json` its seal, `.lock`, `.failed`). */
const beside = (dir: string, name: string, ending: string): string => join(dir, name.replace(/\.blob$/, ending));

/** The user's cache folder for snapshots: `$XDG_CACHE_HOME/gradlab/snapshot`, by default `~/.cache/gradlab/snapshot`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "gradlab", "snapshot");
}

/** The folders searched for a snapshot, in order (the module's comment). */
export function snapshotDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  return env.GRADLAB_SNAPSHOT_DIR ? [env.GRADLAB_SNAPSHOT_DIR] : [BUILT_DIR, cacheDir(env)];
}

/** The first of {@link snapshotDirs} that this user can write (created when missing), or undefined. */
export function writableDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of snapshotDirs(env)) {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
      return dir;
    } catch {
      // read-only (a system-wide package): the next one
    }
  }
  return undefined;
}

/** What a blob's seal records. */
interface Seal {
  flags: string[];
  node: string;
  size: number;
  mtimeMs: number;
  tail: string;
}

function tailHash(file: string, size: number): string {
  const n = Math.min(size, TAIL);
  const buf = Buffer.alloc(n);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buf, 0, n, size - n);
  } finally {
    closeSync(fd);
  }
  return createHash("sha256").update(buf).digest("hex");
}

/** Whether `file` is a blob its seal vouches for. */
export function sealed(file: string): boolean {
  try {
    const st = statSync(file);
    const seal = JSON.parse(readFileSync(file.replace(/\.blob$/, ".json"), "utf8")) as Seal;
    return seal.size === st.size && seal.mtimeMs === st.mtimeMs && seal.node === process.version && seal.tail === tailHash(file, st.size);
  } catch {
    return false;
  }
}

/**
 * Seals the blob `file`, built for `flags` (in place and complete): its seal is written under a
 * temporary name and renamed beside it.
 */
export function seal(file: string, flags: readonly string[]): void {
  const st = statSync(file);
  const s: Seal = { flags: [...flags], node: process.version, size: st.size, mtimeMs: st.mtimeMs, tail: tailHash(file, st.size) };
  const target = file.replace(/\.blob$/, ".json");
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(s) + "\n");
  renameSync(tmp, target);
}

/** A temporary name in `dir` for a blob named `name` being built (renamed into place by {@link commitSnapshot}). */
export function buildingName(dir: string, name: string): string {
  return join(dir, `.${name}.${process.pid}.tmp`);
}

/**
 * Puts the built blob `tmp` (in `dir`) into place as the snapshot for `flags` and seals it; removes
 * the snapshots in `dir` built for the same flags under other keys (another Node or compiler: never
 * found again). Returns the blob's path.
 */
export function commitSnapshot(tmp: string, dir: string, flags: readonly string[]): string {
  const name = snapshotName(flags);
  const target = join(dir, name);
  renameSync(tmp, target);
  seal(target, flags);
  rmSync(beside(dir, name, ".failed"), { force: true });
  const same = JSON.stringify(flags);
  for (const f of readdirSync(dir)) {
    if (/^\.executor-[0-9a-f]+\.blob\.\d+\.tmp$/.test(f) || /^executor-[0-9a-f]+\.blob$/.test(f)) {
      // A builder's leftover (killed while it built), or a blob sealed by no one: removed once old.
      const st = statSync(join(dir, f), { throwIfNoEntry: false });
      const unsealed = f.startsWith(".") || !existsSync(join(dir, f.replace(/\.blob$/, ".json")));
      if (st && unsealed && Date.now() - st.mtimeMs > LOCK_MAX_MS) rmSync(join(dir, f), { force: true });
      continue;
    }
    if (!/^executor-[0-9a-f]+\.json$/.test(f) || f === name.replace(/\.blob$/, ".json")) continue;
    try {
      const other = JSON.parse(readFileSync(join(dir, f), "utf8")) as Seal;
      if (JSON.stringify(other.flags) !== same) continue;
      rmSync(join(dir, f.replace(/\.json$/, ".blob")), { force: true });
      rmSync(join(dir, f), { force: true });
    } catch {
      // another process's file, gone or unreadable: left alone
    }
  }
  return target;
}

/** Whether process `pid` exists (signal 0; EPERM: it exists, owned by another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the lock of the snapshot `name` in `dir` (created exclusively); true when taken. A lock
 * whose builder is gone (its pid not running, or no pid after 30 s, or older than 15 min) is
 * removed and taken again. Two processes that find the same stale lock at once may both take it:
 * they build twice, each blob renamed into place whole.
 */
export function takeLock(dir: string, name: string): boolean {
  const lock = beside(dir, name, ".lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      closeSync(openSync(lock, "wx"));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") return false;
    }
    try {
      const age = Date.now() - statSync(lock).mtimeMs;
      const pid = Number(readFileSync(lock, "utf8").trim());
      const live = pid > 0 ? alive(pid) && age < LOCK_MAX_MS : age < LOCK_UNCLAIMED_MS;
      if (live) return false;
      unlinkSync(lock);
    } catch {
      // released meanwhile: try again
    }
  }
  return false;
}

/** Writes the builder's pid into the lock of `name` in `dir`. */
export function claimLock(dir: string, name: string, pid: number): void {
  const fd = openSync(beside(dir, name, ".lock"), "r+");
  try {
    writeSync(fd, `${pid}\n`, 0);
  } finally {
    closeSync(fd);
  }
}

/** Removes the lock of `name` in `dir`. */
export function releaseLock(dir: string, name: string): void {
  rmSync(beside(dir, name, ".lock"), { force: true });
}

/** Records that building `name` in `dir` failed (no retry for a day). */
export function markFailed(dir: string, name: string, why: string): void {
  writeFileSync(beside(dir, name, ".failed"), why + "\n");
}

/**
 * Starts building the snapshot for `flags` in the background (the module's comment), unless it is
 * being built, failed within a day, or no folder is writable. Returns the folder it is built into,
 * or undefined when no build was started.
 */
export function buildInBackground(flags: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!existsSync(BUILDER)) return undefined;
  const dir = writableDir(env);
  if (!dir) return undefined;
  const name = snapshotName(flags);
  const failed = statSync(beside(dir, name, ".failed"), { throwIfNoEntry: false });
  if (failed && Date.now() - failed.mtimeMs < RETRY_FAILED_MS) return undefined;
  if (!takeLock(dir, name)) return undefined;
  try {
    // The builder is the machine's, not this kernel's: detached, in no pipe of the kernel, and with
    // none of its environment but where files go (a kernel's variables reach no build).
    const keep = ["PATH", "HOME", "TMPDIR", "LANG"];
    const child = spawn(process.execPath, [BUILDER, dir, ...flags], {
      detached: true,
      stdio: "ignore",
      env: Object.fromEntries(keep.filter((k) => env[k] !== undefined).map((k) => [k, env[k]])),
    });
    child.on("error", () => releaseLock(dir, name));
    child.unref();
    if (child.pid !== undefined) {
      claimLock(dir, name, child.pid);
      try {
        setPriority(child.pid, 19);
      } catch {
        // (the builder lowers its own priority too)
      }
    }
    return dir;
  } catch {
    releaseLock(dir, name);
    return undefined;
  }
}

/**
 * The snapshot to start an executor with `flags` from, or undefined: none sealed for them in
 * {@link snapshotDirs} (then one is built in the background for the next executors), or
 * `GRADLAB_SNAPSHOT=0`.
 *
 * @example
 * findSnapshot(["--max-old-space-size=4096"]) // "/path/to/gradlab/dist/snapshot/executor-1a2b....blob"
 */
export function findSnapshot(flags: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GRADLAB_SNAPSHOT === "0") return undefined;
  try {
    const name = snapshotName(flags);
    for (const dir of snapshotDirs(env)) {
      const file = join(dir, name);
      if (sealed(file)) return file;
    }
    if (env.GRADLAB_SNAPSHOT_BUILD !== "0") buildInBackground(flags, env);
  } catch {
    // (A package it names cannot be resolved: no snapshot, the kernel starts as without one.)
  }
  return undefined;
}
