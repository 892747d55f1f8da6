/**
 * @file The executor's snapshot built in the background (kernel/node/snapshot-blob.ts), with the
 * real kernel over ZeroMQ: kernels whose heap size has no snapshot start without one and answer,
 * one snapshot is built for them however many start at once, and the next kernel starts from it;
 * a blob its seal does not vouch for (cut short, overwritten, unsealed) is never loaded.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { REPO, resultText, startKernel } from "./helpers.js";

type BlobModule = typeof import("../../kernel/node/snapshot-blob.js");
type HostModule = typeof import("../../kernel/protocol/host.js");
type LimitsModule = typeof import("../../kernel/node/limits.js");

const blobModule = async (): Promise<BlobModule> => (await import(join(REPO, "dist/kernel/node/snapshot-blob.js"))) as BlobModule;

/** The executor's flags of a kernel with `env` (the built modules compute them, as the kernel does). */
async function flagsOf(env: NodeJS.ProcessEnv): Promise<string[]> {
  const { executorFlags } = (await import(join(REPO, "dist/kernel/protocol/host.js"))) as HostModule;
  const { memoryLimits, machineReadings } = (await import(join(REPO, "dist/kernel/node/limits.js"))) as LimitsModule;
  return executorFlags(memoryLimits(machineReadings({ ...process.env, ...env })), { ...process.env, ...env });
}

/** Waits until no build of `name` holds its lock in `dir` (bounded so a hung builder fails the test). */
async function buildDone(dir: string, name: string, maxMs = 100_000): Promise<void> {
  const lock = join(dir, name.replace(/\.blob$/, ".lock"));
  const deadline = Date.now() + maxMs;
  while (existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(existsSync(lock), `the build of ${name} ended`).toBe(false);
}

const FROM_SNAPSHOT = 'process.execArgv.includes("--snapshot-blob")';
const GRAD = 'import { grad, tensor } from "gradlab";\ngrad((x) => x.mul(x).sum())(tensor([1, 2, 3]))';

describe("the executor's snapshot built in the background", () => {
  const kernels: KernelClient[] = [];
  const dirs: string[] = [];
  const scratch = (label: string): string => {
    const d = mkdtempSync(join(tmpdir(), `gradlab-${label}-`));
    dirs.push(d);
    return d;
  };
  afterAll(async () => {
    await Promise.all(kernels.map((k) => k.close()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("kernels whose heap has no snapshot start without it, one is built for them once, and the next kernel starts from it", async () => {
    const dir = scratch("snapshot-build");
    // A heap size no other test uses (1300M: a 650 MB heap), in a folder of its own.
    const env = { GRADLAB_SNAPSHOT_DIR: dir, GRADLAB_MEMORY_LIMIT: "1300M", GRADLAB_SNAPSHOT_BUILD: "1" };
    const flags = await flagsOf(env);
    expect(flags).toContain("--max-old-space-size=650");
    expect(flags).toContain("--max-semi-space-size=16");
    const { snapshotName, sealed } = await blobModule();
    const name = snapshotName(flags);

    const first = await Promise.all([0, 1, 2].map(() => startKernel({ cwd: dir, env })));
    kernels.push(...first);
    const from: unknown[] = [];
    for (const kc of first) {
      expect(resultText(await kc.execute("6 * 7"))).toBe("42");
      from.push(resultText(await kc.execute(FROM_SNAPSHOT)));
    }
    // The first kernel found none; the others may have started after the build ended.
    expect(from).toContain("false");

    await buildDone(dir, name);
    expect(sealed(join(dir, name))).toBe(true);
    const log = readFileSync(join(dir, "build.log"), "utf8");
    expect(log.split("\n").filter((l) => l.includes(name) && l.includes(": built ")).length, log).toBe(1);
    expect(log).not.toContain("failed");

    const next = await startKernel({ cwd: dir, env });
    kernels.push(next);
    expect(resultText(await next.execute(FROM_SNAPSHOT))).toBe("true");
    expect(resultText(await next.execute(GRAD))).toBe("tensor([2., 4., 6.])");
    expect(resultText(await next.execute("(v8 => v8.getHeapStatistics().heap_size_limit)(require('node:v8')) >= 650 * 2 ** 20"))).toBe(
      "true",
    );
    expect(resultText(await next.execute('process.execArgv.includes("--max-semi-space-size=16")'))).toBe("true");
  }, 240_000);

  it("a blob its seal does not vouch for is never loaded: the kernel starts without it", async () => {
    const { snapshotName, sealed, seal, findSnapshot, BUILT_DIR } = await blobModule();
    const built = (await flagsOf({})) as string[];
    const source = join(BUILT_DIR, snapshotName(built));
    expect(sealed(source), "npm run build made a sealed snapshot").toBe(true);

    const dir = scratch("snapshot-bad");
    const env = { GRADLAB_SNAPSHOT_DIR: dir, GRADLAB_SNAPSHOT_BUILD: "0" };
    const blob = join(dir, snapshotName(built));
    copyFileSync(source, blob);
    seal(blob, built);
    expect(findSnapshot(built, { ...process.env, ...env })).toBe(blob);
    // Cut short after it was sealed (a copy or a write that stopped half way).
    truncateSync(blob, 20 * 2 ** 20);
    expect(sealed(blob)).toBe(false);
    expect(findSnapshot(built, { ...process.env, ...env })).toBeUndefined();
    const kc = await startKernel({ cwd: dir, env });
    kernels.push(kc);
    expect(resultText(await kc.execute(GRAD))).toBe("tensor([2., 4., 6.])");
    expect(resultText(await kc.execute(FROM_SNAPSHOT))).toBe("false");

    // Overwritten near its end at the same size, with a seal that matches its size and time.
    copyFileSync(source, blob);
    seal(blob, built);
    const bytes = readFileSync(blob);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(blob, bytes);
    const sealFile = blob.replace(/\.blob$/, ".json");
    const record = JSON.parse(readFileSync(sealFile, "utf8")) as { size: number; mtimeMs: number };
    expect(record.size).toBe(statSync(blob).size);
    writeFileSync(sealFile, JSON.stringify({ ...record, mtimeMs: statSync(blob).mtimeMs }));
    expect(sealed(blob)).toBe(false);
    rmSync(blob.replace(/\.blob$/, ".json"));
    copyFileSync(source, blob);
    expect(sealed(blob)).toBe(false);
    expect(findSnapshot(built, { ...process.env, ...env })).toBeUndefined();
  }, 120_000);

  it("is named by the library's declarations too: a build of the library names another snapshot", async () => {
    const { snapshotName, LIBRARY_DECLARATIONS } = await blobModule();
    const flags = await flagsOf({});
    // The kernel's name is the one of the declarations snapshot.ts parses into the snapshot.
    expect(LIBRARY_DECLARATIONS).toBe(join(REPO, "dist", "src", "index.d.ts"));
    expect(snapshotName(flags, LIBRARY_DECLARATIONS)).toBe(snapshotName(flags));
    // Written again (as every build writes them), the declarations name another snapshot.
    const library = join(scratch("snapshot-library"), "index.d.ts");
    writeFileSync(library, "export declare const a: number;\n");
    utimesSync(library, 1_000_000, 1_000_000);
    const before = snapshotName(flags, library);
    expect(snapshotName(flags, library)).toBe(before);
    writeFileSync(library, "export declare const a: number;\n");
    utimesSync(library, 2_000_000, 2_000_000);
    expect(snapshotName(flags, library)).not.toBe(before);
  });

  it("a lock whose builder is gone is taken over; a live one is not", async () => {
    const { takeLock, releaseLock } = await blobModule();
    const dir = scratch("snapshot-lock");
    const name = "executor-0123456789abcdef.blob";
    const lock = join(dir, "executor-0123456789abcdef.lock");
    expect(takeLock(dir, name)).toBe(true);
    expect(takeLock(dir, name)).toBe(false);
    writeFileSync(lock, `${process.pid}\n`);
    expect(takeLock(dir, name)).toBe(false);
    // A pid above the kernel's pid_max runs no process.
    writeFileSync(lock, `${2 ** 22 + 1}\n`);
    expect(takeLock(dir, name)).toBe(true);
    releaseLock(dir, name);
    expect(existsSync(lock)).toBe(false);
  });
});
