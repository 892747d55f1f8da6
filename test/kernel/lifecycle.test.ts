/**
 * @file The kernel survives what a notebook does to it, and never outlives what started it: one
 * deterministic regression test per defect of the fault probe (`npm run bench:faults`), over real ZeroMQ.
 * Polls are bounded only so that a regression fails instead of hanging; no wall-clock asserts.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { Dealer } from "zeromq";
import { encode, makeMessage, Signer } from "../../kernel/protocol/wire.js";
import { REPO, startKernel } from "./helpers.js";
import { alive, newTag, signal, tagged, waitDead, waitGone, writeConnectionFile } from "../support/procs.js";

const clients: KernelClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
});

async function kernel(tag: string, env: Record<string, string> = {}): Promise<KernelClient> {
  const kc = await startKernel({ env: { GRADLAB_TEST_TAG: tag, ...env } });
  clients.push(kc);
  return kc;
}

/** The pid of the executor: the tagged process that is not the kernel. */
async function executorPid(kc: KernelClient, tag: string): Promise<number> {
  expect((await kc.execute("1 + 1")).status).toBe("ok");
  const others = tagged(tag).filter((p) => p !== kc.pid);
  expect(others).toHaveLength(1);
  return others[0]!;
}

describe("a cell cannot end the kernel", () => {
  it("process.exit, process.abort and process.kill of its own processes are a SystemExit error; state is kept", async () => {
    const tag = newTag("exit");
    const kc = await kernel(tag);
    const executor = await executorPid(kc, tag);
    expect((await kc.execute("const kept = 41;")).status).toBe("ok");
    for (const code of [
      "process.exit(3)",
      "process.exit()",
      "process.abort()",
      'process.kill(process.pid, "SIGKILL")',
      "process.kill(process.pid)",
      "process.kill(process.ppid)",
      "process.kill(0)",
      "(process as any).reallyExit(1)",
    ]) {
      const r = await kc.execute(code);
      expect(r.status, code).toBe("error");
      expect(r.error?.ename, code).toBe("SystemExit");
      expect(r.error?.evalue, code).toContain("your variables are kept");
      expect(r.error?.traceback.join("\n"), code).toContain(`cell line 1: ${code}`);
    }
    // A signal that does not end anything still passes.
    expect((await kc.execute("process.kill(process.pid, 0)")).outputs[0]).toMatchObject({ data: { "text/plain": "true" } });
    expect((await kc.execute("kept + 1")).outputs[0]).toMatchObject({ data: { "text/plain": "42" } });
    expect(alive(executor)).toBe(true);
  }, 120_000);

  it("an executor killed from outside is an error reply naming what happened, and the next cell runs in a fresh one", async () => {
    const tag = newTag("killed");
    const kc = await kernel(tag);
    const executor = await executorPid(kc, tag);
    expect((await kc.execute("const lost = 1;")).status).toBe("ok");
    const r = await kc.execute('require("node:child_process").execSync("kill -9 " + process.pid)', { timeoutMs: 60_000 });
    expect(r.error).toMatchObject({ ename: "KernelDied" });
    expect(r.error?.evalue).toContain("SIGKILL");
    expect(r.error?.evalue).toContain("state is lost");
    expect(await waitDead(executor)).toBe(true);
    expect((await kc.execute("lost")).error?.evalue).toContain("Cannot find name 'lost'");
    expect((await kc.execute("2 * 21")).outputs[0]).toMatchObject({ data: { "text/plain": "42" } });
  }, 120_000);
});

describe("faults that must stay harmless", () => {
  it("recursion, 50 MB of output, late throws and rejections, lone surrogates, non-JSON content, library misuse, a 3000-op graph", async () => {
    const kc = await kernel(newTag("harmless"));
    const value = async (code: string) => {
      const r = await kc.execute(code, { timeoutMs: 60_000 });
      const out = r.outputs.find((o) => o.output_type === "execute_result");
      return out?.output_type === "execute_result" ? out.data["text/plain"] : undefined;
    };
    expect((await kc.execute("const kept = 41;")).status).toBe("ok");
    const recursion = await kc.execute("function down(n: number): number {\n  return down(n + 1) + 1;\n}\ndown(0)");
    expect(recursion.error).toMatchObject({ ename: "RangeError", evalue: "Maximum call stack size exceeded" });
    const big = await kc.execute('process.stdout.write("x".repeat(50 * 2 ** 20));', { timeoutMs: 60_000 });
    expect(big.status).toBe("ok");
    expect(big.outputs.reduce((n, o) => n + (o.output_type === "stream" ? o.text.length : 0), 0)).toBe(50 * 2 ** 20);
    // Errors thrown after their cell ended are shown (on iopub, under the last cell), never fatal.
    const seen = (text: string) =>
      new Promise<void>((resolve) => {
        const off = kc.onMessage("iopub", (m) => {
          if (m.header.msg_type === "stream" && String(m.content.text).includes(text)) {
            off();
            resolve();
          }
        });
      });
    const lateBoom = seen("Uncaught Error: late boom");
    expect(await value('setTimeout(() => { throw new Error("late boom"); }, 10);\n1')).toBe("1");
    await lateBoom;
    const rejection = seen("Unhandled promise rejection: Error: nobody catches");
    expect(await value('Promise.reject(new Error("nobody catches"));\n2')).toBe("2");
    await rejection;
    const surrogate = await kc.execute('console.log("bad \\ud800 half")');
    expect(surrogate.outputs[0]).toMatchObject({ output_type: "stream", name: "stdout" });
    // A correctly signed message whose content is not JSON is dropped; the kernel answers on.
    const signer = new Signer(String(kc.connection.key), String(kc.connection.signature_scheme));
    const frames = encode(makeMessage("execute_request", {}, "s"), signer).map(String);
    const at = frames.indexOf("<IDS|MSG>") + 1;
    frames[at + 4] = "{not json";
    frames[at] = signer.sign(frames.slice(at + 1, at + 5));
    const raw = new Dealer({ linger: 0 });
    raw.connect(`tcp://${kc.connection.ip}:${kc.connection.shell_port}`);
    await raw.send(frames);
    raw.close();
    expect(await kc.heartbeat()).toBe(true);
    // Library misuse is a clear error in the cell.
    const lib = 'import { tensor, grad, logdet, type Tensor } from "gradlab";\n';
    expect((await kc.execute(`${lib}tensor([[1, 2], [3]] as any)`)).error?.evalue).toBe(
      "tensor: ragged nested array (expected length 2 at depth 1)",
    );
    expect((await kc.execute("grad((x: Tensor) => x.mul(2))(tensor([1, 2]))")).error?.evalue).toBe(
      "grad: f must return a scalar, got shape [2]",
    );
    expect((await kc.execute("logdet(tensor([[1, 2], [2, 1]]))")).error?.evalue).toBe("logdet: matrix is not positive definite");
    expect(
      (
        await kc.execute(
          "function chain(x: Tensor): Tensor {\n  let y = x;\n  for (let i = 0; i < 3000; i++) y = y.mul(1.0001);\n  return y.sum();\n}",
        )
      ).status,
    ).toBe("ok");
    const graph = await kc.execute("%graph chain(tensor([1]))", { timeoutMs: 120_000 });
    expect(graph.status).toBe("ok");
    expect(graph.outputs.some((o) => o.output_type === "display_data")).toBe(true);
    expect(await value("kept + 1")).toBe("42");
  }, 240_000);
});

describe("memory", () => {
  it("Float64Array storage past the limit is a RangeError in the cell, and the state is kept", async () => {
    const kc = await kernel(newTag("buffers"), { GRADLAB_MEMORY_LIMIT: "1G" });
    expect(String(kc.kernelInfo.banner)).toContain("1.0 GB of memory (JavaScript heap 512 MB; set by GRADLAB_MEMORY_LIMIT)");
    expect((await kc.execute("const kept = 41;\nconst hog: Float64Array[] = [];")).status).toBe("ok");
    const r = await kc.execute("while (true) hog.push(new Float64Array(1 << 24));", { timeoutMs: 60_000 });
    expect(r.error?.ename).toBe("RangeError");
    expect(r.error?.evalue).toContain("Array buffer allocation failed (out of memory: the executor reached its limit of 1.0 GB");
    // 128 MB each: fewer than 8 fit in 1 GB, at least a few do.
    const held = await kc.execute("hog.length");
    const n = Number(held.outputs[0]?.output_type === "execute_result" ? held.outputs[0].data["text/plain"] : NaN);
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThan(8);
    expect((await kc.execute("hog.length = 0;\nkept + 1")).outputs[0]).toMatchObject({ data: { "text/plain": "42" } });
  }, 120_000);

  it("after a cell fills the budget with small buffers, the next cell still has room for its own objects (the executor's reserve), and the state is kept", async () => {
    const kc = await kernel(newTag("reserve"), { GRADLAB_MEMORY_LIMIT: "1G" });
    expect((await kc.execute("const kept = 41;\nconst hog: Float64Array[] = [];")).status).toBe("ok");
    // 8 MB at a time until 8-16 MB is left, then one request for 1 GB: its RangeError ends the
    // cell. (Letting an 8 MB request fail instead left 0-8 MB, and with less than ~1.5 MB left V8
    // itself could not allocate and the executor died: 9 of 130 runs in a loop.)
    const fill = [
      "const limit = Number(process.env.GRADLAB_MEMORY_LIMIT_BYTES);",
      'const free = () => limit - Number(/VmData:\\s+(\\d+)/.exec(require("node:fs").readFileSync("/proc/self/status", "latin1"))![1]) * 1024;',
      "while (free() > 16 * 2 ** 20) hog.push(new Float64Array(1 << 20));",
      "new Float64Array(2 ** 27);",
    ].join("\n");
    const r = await kc.execute(fill, { timeoutMs: 60_000 });
    expect(r.error?.ename).toBe("RangeError");
    // Tens of MB of objects need the JavaScript heap to grow: without the reserve given back,
    // V8 could not, and the executor died with the notebook's state.
    const objs = await kc.execute("const objs = Array.from({ length: 400000 }, (_, i) => ({ i, s: 'x' + i }));\nobjs.length", {
      timeoutMs: 60_000,
    });
    expect(objs.outputs[0]).toMatchObject({ data: { "text/plain": "400000" } });
    expect((await kc.execute("hog.length = 0;\nkept + 1")).outputs[0]).toMatchObject({ data: { "text/plain": "42" } });
  }, 120_000);

  it("a JavaScript heap filling up stops the cell with a MemoryError before V8 gives up, and the state is kept", async () => {
    const kc = await kernel(newTag("heap"), { GRADLAB_MEMORY_LIMIT: "1G" });
    expect((await kc.execute("const kept = 41;\nconst objs: object[] = [];\nlet i = 0;")).status).toBe("ok");
    const r = await kc.execute('while (true) objs.push({ i: i++, s: "x" + i });', { timeoutMs: 120_000 });
    expect(r.error?.ename).toBe("MemoryError");
    expect(r.error?.evalue).toMatch(/the cell was stopped with \d+ MB of live objects in a JavaScript heap limited to 512 MB/);
    expect(r.error?.evalue).toContain("Your variables are kept");
    // The objects are still there (as in IPython after a MemoryError) until the notebook drops them.
    expect((await kc.execute("objs.length > 100000")).outputs[0]).toMatchObject({ data: { "text/plain": "true" } });
    // A cell that frees memory is not stopped, however full the heap still is.
    expect((await kc.execute("objs.length = 0;\nkept + 1")).outputs[0]).toMatchObject({ data: { "text/plain": "42" } });
  }, 180_000);

  it("the executor starts with glibc's malloc tuned for tensor storage, and cells see the user's own GLIBC_TUNABLES", async () => {
    // /proc/self/environ is the environment the process started with, as glibc left it after
    // reading GLIBC_TUNABLES: cut after the first entry by a 0 byte, the rest still behind it up
    // to the next variable (whose name, unlike a tunable's, has no dot)
    const started =
      'const parts = require("node:fs").readFileSync("/proc/self/environ", "latin1").split("\\0"); const at = parts.findIndex((p: string) => p.startsWith("GLIBC_TUNABLES="));' +
      'let end = at + 1; while (at >= 0 && end < parts.length && parts[end] !== "" && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(parts[end])) end++;' +
      'at < 0 ? "none" : parts.slice(at, end).join(":")';
    const text = async (kc: KernelClient, code: string) => {
      const r = await kc.execute(code);
      expect(r.status).toBe("ok");
      return r.outputs[0]?.output_type === "execute_result" ? String(r.outputs[0].data["text/plain"]) : "no result";
    };
    const plain = await kernel(newTag("tunables"), { GRADLAB_MEMORY_LIMIT: "1G" });
    expect(await text(plain, started)).toBe(
      `GLIBC_TUNABLES=glibc.malloc.trim_threshold=${64 * 2 ** 20}:glibc.malloc.mmap_threshold=${32 * 2 ** 20}`,
    );
    expect(await text(plain, "String(process.env.GLIBC_TUNABLES)")).toBe("undefined");
    expect(await text(plain, "Object.keys(process.env).filter((k) => k.includes('TUNABLES')).length")).toBe("0");
    const own = await kernel(newTag("tunables-own"), { GRADLAB_MEMORY_LIMIT: "1G", GLIBC_TUNABLES: "glibc.malloc.trim_threshold=1234" });
    expect(await text(own, started)).toBe(`GLIBC_TUNABLES=glibc.malloc.trim_threshold=1234:glibc.malloc.mmap_threshold=${32 * 2 ** 20}`);
    expect(await text(own, "String(process.env.GLIBC_TUNABLES)")).toBe("glibc.malloc.trim_threshold=1234");
    expect(await text(own, "Object.keys(process.env).filter((k) => k.startsWith('GRADLAB_') && k.includes('TUNABLES')).length")).toBe("0");
  }, 120_000);

  it("a bad GRADLAB_MEMORY_LIMIT stops the kernel at start with an error naming it", async () => {
    await expect(startKernel({ env: { GRADLAB_MEMORY_LIMIT: "lots" }, startupTimeoutMs: 20_000 })).rejects.toThrow(
      /GRADLAB_MEMORY_LIMIT: expected a size such as 4G, 512M or a number of bytes, got "lots"/,
    );
  }, 60_000);
});

describe("no process outlives the kernel", () => {
  it("SIGKILL of the kernel's process group right after its first kernel_info_reply leaves nothing, 3 times", async () => {
    for (let round = 0; round < 3; round++) {
      const tag = newTag("group");
      const kc = await kernel(tag);
      expect(signal(-kc.pid!, "SIGKILL")).toBe(true);
      expect(await waitGone(tag)).toEqual([]);
      // Nothing holds the pipes of whatever started the kernel: it would hang reading them.
      await kc.pipesClosed;
    }
  }, 120_000);

  it("SIGKILL of the protocol process alone while a cell blocks the executor's loop ends the executor", async () => {
    const tag = newTag("protocol");
    const kc = await kernel(tag);
    const executor = await executorPid(kc, tag);
    let started!: () => void;
    const go = new Promise<void>((r) => (started = r));
    void kc
      .execute('console.log("go");\nwhile (true) {}', {
        onOutput: (outs) => outs.some((o) => o.output_type === "stream" && o.text.includes("go")) && started(),
      })
      .catch(() => undefined);
    await go;
    signal(kc.pid!, "SIGKILL");
    expect(await waitGone(tag)).toEqual([]);
    expect(await waitDead(executor)).toBe(true);
  }, 120_000);

  it("processes a cell started go with the executor", async () => {
    const tag = newTag("grandchild");
    const kc = await kernel(tag);
    const r = await kc.execute('const { spawn } = require("node:child_process");\nspawn("sleep", ["600"], { stdio: "ignore" }).pid');
    const sleeper = Number(r.outputs[0]?.output_type === "execute_result" ? r.outputs[0].data["text/plain"] : NaN);
    expect(alive(sleeper)).toBe(true);
    signal(kc.pid!, "SIGKILL");
    expect(await waitGone(tag)).toEqual([]);
  }, 120_000);

  it("the kernel exits when whatever started it dies (ipykernel's parent poller)", async () => {
    const tag = newTag("parent");
    const dir = mkdtempSync(join(tmpdir(), "gradlab-parent-"));
    try {
      const file = await writeConnectionFile(dir);
      // A launcher (a Jupyter server, `gradlab run`) that starts the kernel and is then killed.
      const script = `require("node:child_process").spawn(process.execPath, [${JSON.stringify(join(REPO, "bin", "gradlab.js"))}, "kernel", ${JSON.stringify(file)}], { stdio: "ignore", env: { ...process.env, JPY_PARENT_PID: String(process.pid), GRADLAB_TEST_TAG: ${JSON.stringify(tag)} } }); setInterval(() => {}, 1000);`;
      const launcher = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
      // Wait until both the kernel and its executor run.
      for (let i = 0; i < 600 && tagged(tag).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(tagged(tag)).toHaveLength(2);
      launcher.kill("SIGKILL");
      expect(await waitGone(tag)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("shutdown", () => {
  it("shutdown_request and SIGTERM leave no process and print nothing to the kernel log", async () => {
    for (const how of ["shutdown_request", "SIGTERM"] as const) {
      const tag = newTag(how);
      const kc = await kernel(tag);
      expect((await kc.execute("1 + 1")).status).toBe("ok");
      if (how === "shutdown_request") await kc.shutdown();
      else signal(kc.pid!, "SIGTERM");
      expect(await waitGone(tag)).toEqual([]);
      await kc.pipesClosed;
      expect(kc.log, how).toBe("");
    }
  }, 120_000);
});
