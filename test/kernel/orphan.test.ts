/** @file The executor child never outlives the protocol process, even while a cell spins. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startKernel } from "./helpers.js";

/** Pids whose parent is `ppid` (from /proc). */
function childrenOf(ppid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === ppid) out.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("executor child", () => {
  it("ends when the protocol process is killed (SIGKILL) while a cell blocks its event loop", async () => {
    const kc = await startKernel();
    try {
      expect((await kc.execute("1 + 1")).status).toBe("ok");
      const parent = kc.pid!;
      const [child] = childrenOf(parent);
      expect(child).toBeGreaterThan(0);
      let started!: () => void;
      const go = new Promise<void>((r) => (started = r));
      void kc
        .execute('console.log("go");\nwhile (true) {}', {
          timeoutMs: 60_000,
          onOutput: (outs) => outs.some((o) => o.output_type === "stream" && o.text.includes("go")) && started(),
        })
        .catch(() => undefined);
      await go;
      process.kill(parent, "SIGKILL");
      // Poll (bounded, so a regression fails instead of hanging); no wall-clock assertion.
      for (let i = 0; i < 100 && alive(child); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(child)).toBe(false);
    } finally {
      await kc.close().catch(() => undefined);
    }
  });
});
