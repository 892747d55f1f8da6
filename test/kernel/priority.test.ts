/**
 * @file Start-up first (kernel/protocol/priority.ts): the rule on a fake /proc, then the real
 * kernel, started as Jupyter starts it (a session of its own), raising its session's autogroup nice
 * value after its first cell, and only then.
 */
import { readFileSync, readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { HUB_RUN_NICE, lowerRunPriority, runNice, type ProcFiles } from "../../kernel/protocol/priority.js";
import { autogroupNice, autogroupsEnabled } from "../support/procs.js";
import { logOnceContains, startKernel } from "./helpers.js";

describe("runNice", () => {
  it("is off outside JupyterHub, on under it, and GRADLAB_RUN_NICE decides when set", () => {
    expect(runNice({})).toBe(0);
    expect(runNice({ JUPYTERHUB_USER: "ada" })).toBe(HUB_RUN_NICE);
    expect(runNice({ JUPYTERHUB_USER: "ada", GRADLAB_RUN_NICE: "0" })).toBe(0);
    expect(runNice({ GRADLAB_RUN_NICE: "5" })).toBe(5);
    expect(runNice({ GRADLAB_RUN_NICE: " ", JUPYTERHUB_USER: "ada" })).toBe(HUB_RUN_NICE);
  });

  it("names the variable and the range for a value it cannot use", () => {
    for (const bad of ["-1", "20", "2.5", "high"]) {
      expect(() => runNice({ GRADLAB_RUN_NICE: bad })).toThrow(`GRADLAB_RUN_NICE=${bad}: expected a whole number from 0 (off) to 19`);
    }
  });
});

/** A /proc of one process `pid` in session `session`, its autogroup at `nice`; writes fail with `errors` first. */
function fakeProc(o: { pid: number; session: number; nice: number; autogroups?: string; errors?: string[]; comm?: string }) {
  const writes: string[] = [];
  const errors = [...(o.errors ?? [])];
  let nice = o.nice;
  let slept = 0;
  const proc: ProcFiles = {
    read(path) {
      if (path === "/proc/sys/kernel/sched_autogroup_enabled") return `${o.autogroups ?? "1"}\n`;
      if (path === `/proc/${o.pid}/stat`) return `${o.pid} (${o.comm ?? "node"}) S 1 ${o.session} ${o.session} 0 -1 4194560 1 0\n`;
      if (path === `/proc/${o.pid}/autogroup`) return `/autogroup-42 nice ${nice}\n`;
      throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
    },
    write(path, text) {
      const code = errors.shift();
      if (code) throw Object.assign(new Error(code), { code });
      expect(path).toBe(`/proc/${o.pid}/autogroup`);
      writes.push(text);
      nice = Number(text);
    },
    sleep: async () => void slept++,
  };
  return { proc, writes, slept: () => slept, nice: () => nice };
}

describe("lowerRunPriority", () => {
  it("sets the autogroup's nice value when this process leads its session", async () => {
    const f = fakeProc({ pid: 100, session: 100, nice: 0, comm: "node (x) y" });
    expect(await lowerRunPriority(10, 100, f.proc)).toBe("set 10");
    expect(f.writes).toEqual(["10"]);
  });

  it("leaves a session it does not lead alone (a terminal's, under `gradlab run`)", async () => {
    const f = fakeProc({ pid: 100, session: 7, nice: 0 });
    expect(await lowerRunPriority(10, 100, f.proc)).toBe("skipped: not the session's leader");
    expect(f.writes).toEqual([]);
  });

  it("never raises a priority: a nice value already as high or higher stays", async () => {
    for (const nice of [10, 15]) {
      const f = fakeProc({ pid: 100, session: 100, nice });
      expect(await lowerRunPriority(10, 100, f.proc)).toBe(`skipped: already ${nice}`);
      expect(f.writes).toEqual([]);
    }
  });

  it("does nothing when off or without autogroups", async () => {
    const off = fakeProc({ pid: 100, session: 100, nice: 0 });
    expect(await lowerRunPriority(0, 100, off.proc)).toBe("skipped: off");
    const none = fakeProc({ pid: 100, session: 100, nice: 0, autogroups: "0" });
    expect(await lowerRunPriority(10, 100, none.proc)).toBe("skipped: no autogroups");
    expect([...off.writes, ...none.writes]).toEqual([]);
  });

  it("retries while another process holds the machine's one change per 100 ms (EAGAIN), and gives up on anything else", async () => {
    const busy = fakeProc({ pid: 100, session: 100, nice: 0, errors: ["EAGAIN", "EAGAIN"] });
    expect(await lowerRunPriority(10, 100, busy.proc)).toBe("set 10");
    expect([busy.slept(), busy.writes]).toEqual([2, ["10"]]);
    const gone = fakeProc({ pid: 100, session: 100, nice: 0 });
    expect(await lowerRunPriority(10, 101, gone.proc)).toBe("skipped: ENOENT");
    const denied = fakeProc({ pid: 100, session: 100, nice: 0, errors: ["EPERM"] });
    expect(await lowerRunPriority(10, 100, denied.proc)).toBe("skipped: EPERM");
    expect([denied.slept(), denied.nice()]).toEqual([0, 0]);
  });
});

/** The pids of `pid`'s children. */
function children(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
    readFileSync(`/proc/${pid}/task/${t}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

describe.runIf(autogroupsEnabled())("the kernel's session after its first cell", () => {
  let kc: KernelClient | undefined;
  afterEach(async () => {
    await kc?.shutdown();
    kc = undefined;
  });

  it("under JupyterHub: the first cell at the session's priority, every later one at nice 10 (the executor too)", async () => {
    kc = await startKernel({ env: { JUPYTERHUB_USER: "ada", GRADLAB_RUN_NICE: undefined } });
    const pid = kc.pid!;
    expect(autogroupNice(pid)).toBe(0);
    const silent = await kc.execute("1 + 1", { silent: true });
    expect(silent.status).toBe("ok");
    expect(autogroupNice(pid)).toBe(0);
    const first = await kc.execute("const who = process.pid; who");
    expect(first.status).toBe("ok");
    const log = await logOnceContains(kc, "autogroup nice 10:");
    expect(log).toContain("gradlab: cells after the first at autogroup nice 10: kernel set 10, executor set 10");
    expect(autogroupNice(pid)).toBe(10);
    const executor = children(pid);
    expect(executor.length).toBeGreaterThan(0);
    for (const child of executor) expect(autogroupNice(child)).toBe(10);

    // A new executor (this one killed) starts at its session's priority until its own first cell.
    for (const child of executor) process.kill(child, "SIGKILL");
    await logOnceContains(kc, "starting a new one");
    let next: number[] = [];
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      next = children(pid).filter((c) => !executor.includes(c));
      if (next.length > 0) break;
    }
    expect(next.length).toBeGreaterThan(0);
    for (const child of next) expect(autogroupNice(child)).toBe(0);
    expect((await kc.execute("process.pid")).status).toBe("ok");
    // The log reaches us on a pipe, unordered against the reply: wait (bounded) for the second line.
    const twice = () => (kc!.log.match(/executor set 10/g) ?? []).length >= 2;
    for (const deadline = Date.now() + 10_000; !twice() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    expect(kc.log.match(/executor set 10/g)).toHaveLength(2);
    for (const child of next) expect(autogroupNice(child)).toBe(10);
  });

  it("outside JupyterHub, and with GRADLAB_RUN_NICE=0 under it, the session keeps its priority", async () => {
    for (const env of [
      { JUPYTERHUB_USER: undefined, GRADLAB_RUN_NICE: undefined },
      { JUPYTERHUB_USER: "ada", GRADLAB_RUN_NICE: "0" },
    ]) {
      kc = await startKernel({ env });
      expect((await kc.execute("1 + 1")).status).toBe("ok");
      expect((await kc.execute("2 + 2")).status).toBe("ok");
      expect(autogroupNice(kc.pid!)).toBe(0);
      expect(kc.log).not.toContain("autogroup nice");
      await kc.shutdown();
      kc = undefined;
    }
  });
});
