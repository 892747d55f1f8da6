/**
 * @file The background builder of an executor snapshot (snapshot-blob.ts starts it):
 * `node snapshot-builder.js DIR FLAG...` builds the snapshot for the flags into DIR at the lowest
 * priority, holding the key's lock (which its starter took), appends its outcome to DIR/build.log,
 * marks the key failed when Node cannot build it, and releases the lock.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { setPriority } from "node:os";
import { join } from "node:path";
import { claimLock, markFailed, releaseLock, snapshotName } from "./snapshot-blob.js";

const [dir, ...flags] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node snapshot-builder.js DIR FLAG...");
  process.exit(2);
}
const name = snapshotName(flags);
const log = (line: string): void => {
  try {
    appendFileSync(join(dir, "build.log"), `${new Date().toISOString()} pid ${process.pid} ${name} (${flags.join(" ")}): ${line}\n`);
  } catch {
    // a log that cannot be written loses the line only
  }
};
/** CPU seconds of this process and its reaped children (the build's `node`), from /proc; NaN elsewhere. */
function cpuSeconds(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime, stime, cutime, cstime: fields 14-17, in clock ticks (100 per second on Linux).
    return f.slice(11, 15).reduce((a, t) => a + Number(t), 0) / 100;
  } catch {
    return NaN;
  }
}
try {
  // Kernels and cells come first; the build's own `node --build-snapshot` inherits the priority.
  setPriority(19);
} catch {
  // not allowed: normal priority
}
try {
  claimLock(dir, name, process.pid);
  const t0 = performance.now();
  const { buildSnapshot } = await import("./snapshot.js");
  const file = await buildSnapshot(flags, dir);
  log(`built ${file} in ${((performance.now() - t0) / 1000).toFixed(1)} s (CPU ${cpuSeconds().toFixed(1)} s)`);
} catch (e) {
  const why = e instanceof Error ? e.message : String(e);
  log(`failed: ${why}`);
  try {
    markFailed(dir, name, why);
  } catch {
    // read-only meanwhile: the next kernel tries again
  }
  process.exitCode = 1;
} finally {
  releaseLock(dir, name);
}
