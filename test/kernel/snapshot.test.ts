/**
 * @file The executor's V8 startup snapshot (kernel/node/snapshot.ts), over ZeroMQ with
 * the real kernel: an executor started from the snapshot `npm run build` made compiles and runs
 * cells as one started without it (the same outputs and errors, @types/node and the library's
 * declarations included), and a snapshot Node rejects leaves the kernel starting its executor
 * without it, the first cell answered. (Building snapshots in the background, and blobs that are
 * never loaded: snapshot-build.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { cellSource, readNotebook } from "../../cli/notebook/notebook.js";
import { REPO, startKernel, streamText } from "./helpers.js";

type SnapshotModule = typeof import("../../kernel/node/snapshot.js");
type HostModule = typeof import("../../kernel/protocol/host.js");
type LimitsModule = typeof import("../../kernel/node/limits.js");
type BlobModule = typeof import("../../kernel/node/snapshot-blob.js");

/** The snapshot file the built kernel looks for (the built modules name it, as the kernel does). */
async function expectedSnapshot(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ name: string; flags: string[]; found: string | undefined }> {
  const { findSnapshot, snapshotName } = (await import(join(REPO, "dist/kernel/node/snapshot.js"))) as SnapshotModule;
  const { executorFlags } = (await import(join(REPO, "dist/kernel/protocol/host.js"))) as HostModule;
  const { memoryLimits } = (await import(join(REPO, "dist/kernel/node/limits.js"))) as LimitsModule;
  const flags = executorFlags(memoryLimits(), env);
  return { name: snapshotName(flags), flags, found: findSnapshot(flags, { ...process.env, ...env }) };
}

type Reply = Awaited<ReturnType<KernelClient["execute"]>>;
/** What a cell shows: its status, result, stdout and error. */
const shown = (r: Reply) => ({
  status: r.status,
  result: (r.outputs.find((o) => o.output_type === "execute_result") as { data?: Record<string, unknown> } | undefined)?.data?.[
    "text/plain"
  ],
  stdout: streamText(r.outputs),
  error: r.error && { ename: r.error.ename, evalue: r.error.evalue },
});

const CELLS = [
  'import { grad, tensor } from "gradlab";\ngrad((x) => x.mul(x).sum())(tensor([1, 2, 3]))',
  "function typed(x: number, y: number): number { return x * y + 1; }\ntyped(2, 3)",
  'const n: number = "three";',
  "console.log(typeof process.version, Buffer.from([1, 2]).length);",
  "tensor([1, 2]).nope()",
  // Node's console in an environment started from a snapshot lacks its Console constructor (child.ts puts it back).
  'import { Console } from "node:console";\n[typeof Console, typeof console.Console]',
  "%language ru\nconsole.table([{ a: 1 }]);",
  'process.execArgv.includes("--snapshot-blob")',
];

describe("the executor's startup snapshot", () => {
  const kernels: KernelClient[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(kernels.map((k) => k.close()));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  beforeAll(async () => {
    expect((await expectedSnapshot()).found, "npm run build makes the snapshot for the kernel's flags").toBeDefined();
  });

  /** Two kernels in one new folder: one whose executor starts from the snapshot, one without it. */
  async function fromAndWithout(prefix: string): Promise<{ from: KernelClient; without: KernelClient }> {
    const cwd = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(cwd);
    const from = await startKernel({ cwd });
    kernels.push(from);
    const without = await startKernel({ cwd, env: { GRADLAB_SNAPSHOT: "0" } });
    kernels.push(without);
    return { from, without };
  }

  it("runs cells as an executor started without it", async () => {
    const { from, without } = await fromAndWithout("gradlab-snapshot-");
    const a = [];
    const b = [];
    for (const cell of CELLS) {
      a.push(shown(await from.execute(cell)));
      b.push(shown(await without.execute(cell)));
    }
    expect(a.slice(0, -1)).toEqual(b.slice(0, -1));
    expect(a[0]).toMatchObject({ status: "ok", result: "tensor([2., 4., 6.])" });
    expect(a[2]).toMatchObject({ status: "error", error: { evalue: expect.stringContaining("TS2322") } });
    expect(a[3]).toMatchObject({ status: "ok", stdout: "string 2\n" });
    expect(a[5]).toMatchObject({ status: "ok", result: "[ 'function', 'function' ]" });
    expect(a[6]).toMatchObject({ status: "ok", stdout: expect.stringContaining("(индекс)") });
    expect([a.at(-1)!.result, b.at(-1)!.result]).toEqual(["true", "false"]);
  }, 120_000);

  it("takes notebook 04's cells from those compiled when it was built, and shows what an executor without it shows", async () => {
    const { from, without } = await fromAndWithout("gradlab-snapshot-nb04-");
    const nb = readNotebook(join(REPO, "notebooks", "04-backprop.ipynb"));
    const cells = nb.cells.filter((c) => c.cell_type === "code").map(cellSource);
    for (const cell of cells) {
      const a = shown(await from.execute(cell));
      expect(a.status, cell).toBe("ok");
      expect(a, cell).toEqual(shown(await without.execute(cell)));
    }
    const hits = 'String((globalThis as any)[Symbol.for("gradlab.tsSnapshot")]?.precompiled?.hits)';
    // Every code cell without a magic line (the others run through the magics' own compiles).
    const plain = cells.filter((c) => !/^\s*%/m.test(c)).length;
    expect(plain).toBeGreaterThanOrEqual(10);
    expect(shown(await from.execute(hits)).result).toBe(String(plain));
    expect(shown(await without.execute(hits)).result).toBe("undefined");
  }, 120_000);

  it("a snapshot Node rejects: the executor starts without it and the first cell is answered", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-snapshot-bad-"));
    dirs.push(dir);
    const env = { GRADLAB_SNAPSHOT_DIR: dir, GRADLAB_SNAPSHOT_BUILD: "0" };
    // Sealed, so the kernel hands it to Node (as one that another build of Node wrote).
    const { seal } = (await import(join(REPO, "dist/kernel/node/snapshot-blob.js"))) as BlobModule;
    const { name, flags } = await expectedSnapshot(env);
    writeFileSync(join(dir, name), "not a snapshot");
    seal(join(dir, name), flags);
    expect((await expectedSnapshot(env)).found).toBe(join(dir, name));
    const kc = await startKernel({ cwd: dir, env });
    kernels.push(kc);
    expect(shown(await kc.execute("1+1"))).toMatchObject({ status: "ok", result: "2" });
    expect(shown(await kc.execute('process.execArgv.includes("--snapshot-blob")'))).toMatchObject({ result: "false" });
  }, 120_000);
});
