/** @file Interrupts over real ZeroMQ in both interrupt modes: busy loops and pending awaits stop, state survives. */
import { afterAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { readFileSync } from "node:fs";
import { isExecutorCommand } from "../../kernel/node/executor-bundle.js";
import { Rng } from "../../src/random.js";
import { newTag, signal, tagged } from "../support/procs.js";
import { join } from "node:path";
import { REPO, resultText, startKernel } from "./helpers.js";

const clients: KernelClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

/**
 * Run `code`, which first prints "go", and interrupt it once "go" has arrived (so the code is
 * surely running). Interrupt latency is measured by `npm run bench:faults`, not asserted
 * here: tests never assert wall-clock times. The 30 s execute timeout only keeps a broken
 * interrupt from hanging the suite.
 */
async function interrupted(kc: KernelClient, code: string) {
  let started!: () => void;
  const go = new Promise<void>((r) => (started = r));
  const running = kc.execute(code, {
    timeoutMs: 30_000,
    onOutput: (outs) => outs.some((o) => o.output_type === "stream" && o.text.includes("go")) && started(),
  });
  await Promise.race([go, running]);
  await new Promise((r) => setTimeout(r, 200));
  await kc.interrupt();
  return running;
}

describe.each(["signal", "message"] as const)("interrupt_mode %s", (interruptMode) => {
  it("stops while(true), a pending await and a busy %timeit, keeping earlier state", async () => {
    const kc = await startKernel({ interruptMode });
    clients.push(kc);
    expect((await kc.execute("let kept: number[] = [1, 2, 3];\nfunction total() { return kept.reduce((a, b) => a + b, 0); }")).status).toBe(
      "ok",
    );
    const go = 'console.log("go");\n';
    const afterAwait = "await new Promise((r) => setTimeout(r, 10));\nwhile (true) {}";
    for (const body of [
      "while (true) {}",
      "await new Promise(() => {});",
      "%timeit while (true) {}",
      afterAwait,
      "kept.push(4);\nfor (;;) { kept.length; }",
    ]) {
      const code = go + body;
      const r = await interrupted(kc, code);
      expect(r.status, code).toBe("error");
      expect(r.error?.ename, code).toBe("KeyboardInterrupt");
    }
    const after = await kc.execute("total()");
    expect(after.outputs).toEqual([expect.objectContaining({ output_type: "execute_result", data: { "text/plain": "10" } })]);
  }, 180_000);
});

describe("interrupts at any moment", () => {
  // Regression: SIGINT used to reach the executor, where Node leaves it at its fatal default
  // action for an instant around every cell (breakOnSigint); a storm killed the executor about
  // once in three chaos runs. Interrupts now travel on the lifeline pipe, and a SIGINT sent
  // straight to the executor is only an interrupt.
  it("a storm of interrupts and of SIGINTs sent to the executor itself, around and inside cells, never costs the state", async () => {
    const tag = newTag("storm");
    const kc = await startKernel({ interruptMode: "signal", env: { GRADLAB_TEST_TAG: tag } });
    clients.push(kc);
    expect((await kc.execute("const kept = 7;")).status).toBe("ok");
    const executor = tagged(tag).find((pid) => isExecutorCommand(readFileSync(`/proc/${pid}/cmdline`, "latin1")));
    expect(executor).toBeDefined();
    const rng = new Rng(9);
    const cells = [
      "while (true) {}",
      "await new Promise((r) => setTimeout(r, 5));\nwhile (true) {}",
      "kept",
      "await new Promise((r) => setTimeout(r, 1));\nkept",
    ];
    for (let round = 0; round < 12; round++) {
      const code = cells[round % cells.length]!;
      const running = kc.execute(code, { timeoutMs: 30_000 });
      // Interrupts and signals at seeded moments: before the cell starts, while it compiles, while it runs.
      for (let k = 0; k < 4; k++) {
        await new Promise((r) => setTimeout(r, Math.floor(rng.uniform() * 40)));
        if (rng.uniform() < 0.5) await kc.interrupt();
        else signal(executor!, "SIGINT");
      }
      // A loop that every interrupt so far missed (all landed before it started) is stopped here.
      const settled = await Promise.race([running, new Promise((r) => setTimeout(r, 2000)).then(() => undefined)]);
      if (settled === undefined) await kc.interrupt();
      const r = await running;
      if (r.status === "error") expect(r.error?.ename, code).toBe("KeyboardInterrupt");
      await kc.request("control", "kernel_info_request", {});
    }
    // A hail of SIGINTs straight at the executor (one a millisecond) while short cells run back to back.
    const hail = setInterval(() => signal(executor!, "SIGINT"), 1);
    try {
      for (let i = 0; i < 60; i++) {
        const r = await kc.execute(i % 2 ? "kept" : "await new Promise((r) => setTimeout(r, 1));\nkept", { timeoutMs: 30_000 });
        if (r.status === "error") expect(r.error?.ename).toBe("KeyboardInterrupt");
      }
    } finally {
      clearInterval(hail);
    }
    expect((await kc.execute("kept * 6")).outputs).toEqual([expect.objectContaining({ data: { "text/plain": "42" } })]);
    expect(tagged(tag)).toContain(executor);
    expect(kc.log).not.toContain("executor exited");
  }, 180_000);
});

describe("code that blocks outside any cell", () => {
  it("a timer an earlier cell left spinning is stopped by an interrupt, and the state is kept", async () => {
    const kc = await startKernel();
    clients.push(kc);
    await kc.execute("const kept = 1;");
    // A timer left by an earlier cell spins forever: no cell is running to interrupt.
    await kc.execute("setTimeout(() => { while (true) {} }, 20);");
    await new Promise((r) => setTimeout(r, 300));
    const stuck = kc.execute("kept + 1", { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 200));
    await kc.interrupt();
    const r = await stuck;
    expect(r.outputs).toEqual([expect.objectContaining({ data: { "text/plain": "2" } })]);
    expect(kc.log).toBe("");
  }, 180_000);

  it("code blocked in a native call outside any cell makes the kernel restart the executor after the grace period", async () => {
    const kc = await startKernel();
    clients.push(kc);
    await kc.execute("const lost = 1;");
    // No JavaScript runs to terminate: the executor sits in a system call.
    await kc.execute('setTimeout(() => require("node:child_process").execSync("sleep 600"), 20);');
    await new Promise((r) => setTimeout(r, 300));
    const stuck = kc.execute("1 + 1", { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 200));
    await kc.interrupt();
    const r = await stuck;
    expect(r.error?.ename).toBe("ExecutorRestarted");
    expect((await kc.execute("lost")).error?.evalue).toContain("Cannot find name 'lost'");
    expect((await kc.execute("1 + 1")).status).toBe("ok");
  }, 180_000);
});

describe("Graphviz on the executor's thread", () => {
  it("an interrupt stops a long layout, and the next graph renders as the worker does", async () => {
    const kc = await startKernel();
    clients.push(kc);
    const path = JSON.stringify(join(REPO, "dist", "src", "platform", "node-graphviz.js"));
    const setup = [
      'import { tensor } from "gradlab";',
      `const gv = require(${path}) as {`,
      "  prepareGraphviz(): Promise<void>;",
      "  renderDot(dot: string, engine: string): string;",
      "  renderInWorker(dot: string, engine: string): string;",
      "};",
      "await gv.prepareGraphviz();",
      'let slow = "digraph {";',
      "for (let i = 0; i < 200; i++) slow += `n${i} -> n${i + 1}; n${i} -> m${i % 17};`;",
      'slow += "}";',
      'const small = "digraph { rankdir=LR; a -> b -> c; a -> c }";',
      'const inWorker = gv.renderInWorker(small, "dot");',
    ].join("\n");
    const s = await kc.execute(setup);
    expect(s.error, JSON.stringify(s.error)).toBeUndefined();
    const r = await interrupted(kc, 'console.log("go");\ngv.renderDot(slow, "dot");');
    expect(r.status).toBe("error");
    expect(r.error?.ename).toBe("KeyboardInterrupt");
    const after = await kc.execute('gv.renderDot(small, "dot") === inWorker && inWorker.includes("<svg")');
    expect(resultText(after)).toBe("true");
  }, 180_000);
});
