/** @file Shared helpers for kernel integration tests: build dist once (if stale), start clients. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { KernelClient, type StartOptions } from "../../cli/client/kernel-client.js";

/** A build lock older than this was left by a killed test run. */
const STALE_LOCK_MS = 5 * 60_000;

/** The repository root. */
export const REPO = resolve(import.meta.dirname, "..", "..");

function newestTs(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestTs(p));
    else if (e.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  const built = join(REPO, "dist", "kernel", "exec", "child.js");
  if (!existsSync(built) || !existsSync(join(REPO, "dist", "src", "index.js"))) return true;
  const builtAt = statSync(built).mtimeMs;
  return ["kernel", "src"].some((d) => newestTs(join(REPO, d)) > builtAt);
}

/**
 * Make sure `dist/` holds the current kernel and library (runs `tsc` when any .ts under
 * kernel/ or src/ is newer than the build; a lock directory keeps parallel test files from
 * building at once). tsc errors elsewhere in the tree do not stop it from emitting.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(REPO, "dist", ".kernel-tests-building");
  mkdirSync(join(REPO, "dist"), { recursive: true });
  for (;;) {
    if (!isStale()) return;
    try {
      mkdirSync(lock);
    } catch {
      // A lock older than any build is left over from a killed run: take it over.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmdirSync(lock);
      else await new Promise((r) => setTimeout(r, 300));
      continue;
    }
    try {
      if (isStale()) spawnSync(process.execPath, [join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", join(REPO, "tsconfig.json")], { stdio: "ignore" });
    } finally {
      rmdirSync(lock);
    }
    return;
  }
}

/**
 * Start the real gradlab kernel (from dist) with the runner engineer's KernelClient.
 *
 * @example
 * const kc = await startKernel({ cwd: tmp });
 */
export async function startKernel(opts: StartOptions = {}): Promise<KernelClient> {
  await ensureBuilt();
  return KernelClient.start({ argv: [process.execPath, join(REPO, "bin", "gradlab.js"), "kernel", "{connection_file}"], ...opts });
}

/** The text of all stream outputs of a given name. */
export function streamText(outputs: readonly { output_type: string; name?: string; text?: unknown }[], name = "stdout"): string {
  return outputs
    .filter((o) => o.output_type === "stream" && o.name === name)
    .map((o) => (Array.isArray(o.text) ? o.text.join("") : String(o.text)))
    .join("");
}

/**
 * The kernel's log once it contains `text` (its stderr reaches us on a pipe, with no order
 * against ZeroMQ replies: poll, at most `maxMs`, so a missing line fails instead of hanging).
 */
export async function logOnceContains(kc: KernelClient, text: string, maxMs = 10_000): Promise<string> {
  const deadline = Date.now() + maxMs;
  while (!kc.log.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return kc.log;
}
