/**
 * @file Chaos: kernels started and killed at random moments of their life, interrupt storms
 * while cells run, restarts during a cell, clients that vanish mid-request. Seeded (set
 * GRADLAB_CHAOS_SEED to replay a run) and bounded. After every round: each request got a reply
 * or its kernel is gone, and no process of the round is left (found by the tag every process
 * of a round inherits, wherever it was reparented).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Dealer } from "zeromq";
import { describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { ExecuteTimeoutError } from "../../cli/client/messages.js";
import { encode, makeMessage, Signer } from "../../kernel/protocol/wire.js";
import { Rng } from "../../src/random.js";
import { REPO, ensureBuilt, startKernel } from "./helpers.js";
import { newTag, signal, tagged, waitGone, writeConnectionFile } from "../support/procs.js";

const SEED = Number(process.env.GRADLAB_CHAOS_SEED ?? 20261130);
/** Rounds run two at a time (the machine has two cores). */
const CONCURRENCY = 2;
/** A reply that takes longer than this is a hang (a bound, not a timing assertion). */
const REPLY_BOUND_MS = 45_000;

/** Cells a student might run: busy loops, pending awaits, long output, errors, work, an exit. */
const CELLS = [
  "while (true) {}",
  "await new Promise(() => {});",
  "await new Promise((r) => setTimeout(r, 10));\nwhile (true) {}",
  "(() => {\n  let s = 0;\n  for (let i = 0; i < 5e7; i++) s += i;\n  return s;\n})()",
  'import { grad, tensor, type Tensor } from "gradlab";\ngrad((x: Tensor) => x.mul(x).sum())(tensor([1, 2, 3]))',
  'console.log("x".repeat(200000));',
  "process.exit(1)",
  'setTimeout(() => { throw new Error("late"); }, 5);\n1',
  "JSON.parse('{')",
];

const KILLS = ["group SIGKILL", "protocol SIGKILL", "SIGTERM", "executor SIGKILL"] as const;
type Kill = (typeof KILLS)[number];

interface Tally {
  rounds: Record<string, number>;
  /** Milliseconds spent per scenario (rounds overlap two at a time). */
  ms: Record<string, number>;
  kills: Record<string, number>;
  interrupts: number;
  requests: number;
  replies: number;
  goneKernels: number;
  leftovers: string[];
}

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[Math.floor(rng.uniform() * xs.length)]!;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Kill a kernel (pid) the way `how` says; the executor is found by the round's tag. */
function kill(kernelPid: number, tag: string, how: Kill, tally: Tally): void {
  tally.kills[how] = (tally.kills[how] ?? 0) + 1;
  if (how === "group SIGKILL") signal(-kernelPid, "SIGKILL");
  else if (how === "protocol SIGKILL") signal(kernelPid, "SIGKILL");
  else if (how === "SIGTERM") signal(kernelPid, "SIGTERM");
  else for (const p of tagged(tag)) if (p !== kernelPid) signal(p, "SIGKILL");
}

/**
 * Run `code` and classify the outcome: a reply, or the kernel gone. A hang (neither within the
 * bound) is returned as such and fails the round.
 */
async function outcome(kc: KernelClient, code: string, tally: Tally, enames: string[] = []): Promise<"reply" | "gone" | "hang"> {
  tally.requests++;
  try {
    const r = await kc.execute(code, { timeoutMs: REPLY_BOUND_MS, stopOnError: false });
    enames.push(`${r.error?.ename ?? r.status} [${code.slice(0, 40).replaceAll("\n", " ")}]`);
    tally.replies++;
    return "reply";
  } catch (e) {
    if (e instanceof ExecuteTimeoutError) return "hang";
    if (/the kernel died/.test((e as Error).message)) {
      tally.goneKernels++;
      return "gone";
    }
    throw e;
  }
}

/** A kernel killed during start-up, warm-up or its first moments, before any client is ready. */
async function killAtStart(rng: Rng, tag: string, tally: Tally): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-chaos-"));
  try {
    const file = await writeConnectionFile(dir);
    const proc = spawn(process.execPath, [join(REPO, "bin", "gradlab.js"), "kernel", file], {
      stdio: "ignore",
      detached: true,
      env: { ...process.env, JPY_PARENT_PID: String(process.pid), GRADLAB_TEST_TAG: tag },
    });
    const closed = new Promise((ok) => proc.on("exit", ok));
    await sleep(rng.uniform() * 1500);
    kill(proc.pid!, tag, pick(rng, KILLS.slice(0, 3)), tally);
    await closed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A kernel killed (any way) while a random cell runs. */
async function killDuringCell(rng: Rng, tag: string, tally: Tally): Promise<string | undefined> {
  const kc = await startKernel({ env: { GRADLAB_TEST_TAG: tag } });
  try {
    const how = pick(rng, KILLS);
    const running = outcome(kc, pick(rng, CELLS), tally);
    await sleep(rng.uniform() * 1200);
    kill(kc.pid!, tag, how, tally);
    const got = await running;
    if (got === "hang") return `no reply and the kernel still there after ${how}`;
    // Only the executor was killed: the kernel answers on, with a fresh executor.
    if (how === "executor SIGKILL" && (await outcome(kc, "6 * 7", tally)) !== "reply") return "no reply after the executor was killed";
    return undefined;
  } finally {
    await kc.close();
  }
}

/** Interrupts fired at random moments while random cells run; the notebook's state survives. */
async function interruptStorm(rng: Rng, tag: string, tally: Tally): Promise<string | undefined> {
  const interruptMode = rng.uniform() < 0.5 ? "signal" : "message";
  const kc = await startKernel({ env: { GRADLAB_TEST_TAG: tag }, interruptMode });
  try {
    if ((await kc.execute("const kept = 7;")).status !== "ok") return "could not define state";
    const enames: string[] = [];
    for (let c = 0; c < 3; c++) {
      const running = outcome(kc, pick(rng, CELLS), tally, enames);
      const n = 1 + Math.floor(rng.uniform() * 5);
      for (let i = 0; i < n; i++) {
        await sleep(rng.uniform() * 300);
        tally.interrupts++;
        await kc.interrupt().catch(() => undefined);
      }
      // Code still spinning after the storm (the storm may have ended before it started) is interrupted once more.
      const settled = await Promise.race([running, sleep(3000).then(() => undefined)]);
      if (settled === undefined) {
        tally.interrupts++;
        await kc.interrupt().catch(() => undefined);
      }
      if ((await running) !== "reply") return `cell ${c} of the storm got no reply`;
      // A SIGINT has no order with messages: one sent after the cell ended could otherwise reach
      // the kernel after the next execute_request and interrupt it. A control round trip orders
      // them (the kernel handles a pending signal before it reads another message).
      if (interruptMode === "signal") await kc.request("control", "kernel_info_request", {});
    }
    const r = await kc.execute("kept * 6", { timeoutMs: REPLY_BOUND_MS }).catch((e: Error) => {
      throw new Error(`${e.message} (after ${enames.join(", ")}; ${interruptMode} mode; kernel log: ${kc.log.slice(-1500)})`);
    });
    tally.requests++;
    tally.replies++;
    const text = r.outputs[0]?.output_type === "execute_result" ? r.outputs[0].data["text/plain"] : r.error?.evalue;
    return text === "42" ? undefined : `state lost after the storm (${enames.join(", ")}): ${text}; kernel log: ${kc.log.slice(-1500)}`;
  } finally {
    await kc.close();
  }
}

/** A restart (shutdown_request with restart) while a cell runs; the new kernel answers. */
async function restartDuringCell(rng: Rng, tag: string, tally: Tally): Promise<string | undefined> {
  const kc = await startKernel({ env: { GRADLAB_TEST_TAG: tag } });
  try {
    const running = outcome(kc, pick(rng, CELLS), tally);
    await sleep(rng.uniform() * 800);
    tally.kills.restart = (tally.kills.restart ?? 0) + 1;
    await kc.shutdown({ restart: true });
    if ((await running) === "hang") return "the cell running at restart neither replied nor lost its kernel";
    return (await outcome(kc, "6 * 7", tally)) === "reply" ? undefined : "no reply after restart";
  } finally {
    await kc.close();
  }
}

/** Another client sends requests and vanishes before the replies; the kernel serves on. */
async function vanishingClient(rng: Rng, tag: string, tally: Tally): Promise<string | undefined> {
  const kc = await startKernel({ env: { GRADLAB_TEST_TAG: tag } });
  try {
    const signer = new Signer(String(kc.connection.key), String(kc.connection.signature_scheme));
    const ghost = new Dealer({ linger: 0 });
    ghost.connect(`tcp://${kc.connection.ip}:${kc.connection.shell_port}`);
    const session = randomBytes(8).toString("hex");
    const code = pick(rng, [
      "(() => {\n  let g = 0;\n  for (let i = 0; i < 5e7; i++) g += i;\n  return g;\n})()",
      'console.log("ghost");',
      "1 + 1",
    ]);
    await ghost.send(
      encode(
        makeMessage(
          "execute_request",
          { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false },
          session,
        ),
        signer,
      ),
    );
    await ghost.send(encode(makeMessage("kernel_info_request", {}, session), signer));
    await sleep(rng.uniform() * 200);
    ghost.close();
    return (await outcome(kc, "6 * 7", tally)) === "reply" ? undefined : "no reply after a client vanished";
  } finally {
    await kc.close();
  }
}

/** Each scenario and its number of rounds. */
const SCENARIOS = [
  ["kill at start", killAtStart, 10],
  ["kill during a cell", killDuringCell, 6],
  ["interrupt storm", interruptStorm, 3],
  ["restart during a cell", restartDuringCell, 3],
  ["vanishing client", vanishingClient, 2],
] as const;
const ROUNDS = SCENARIOS.reduce((n, s) => n + s[2], 0);

describe("chaos", () => {
  it(`${ROUNDS} seeded rounds: every request answered or its kernel gone, no process left`, async () => {
    await ensureBuilt();
    const rng = new Rng(SEED);
    // Each scenario its share of the rounds, in a seeded order.
    const kinds = SCENARIOS.flatMap((s) => Array.from({ length: s[2] }, () => s));
    for (let i = kinds.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
    }
    const plan = kinds.map(([name, run], i) => ({ i, name, run, rng: new Rng((SEED * 1000 + i) % 2 ** 32) }));
    const tally: Tally = { rounds: {}, ms: {}, kills: {}, interrupts: 0, requests: 0, replies: 0, goneKernels: 0, leftovers: [] };
    const failures: string[] = [];
    // GRADLAB_CHAOS_ROUND=12 replays one round of the plan alone.
    const only = process.env.GRADLAB_CHAOS_ROUND;
    const queue = only === undefined ? [...plan] : plan.filter((r) => r.i === Number(only));
    const worker = async () => {
      for (let round = queue.shift(); round; round = queue.shift()) {
        const tag = newTag(`chaos${round.i}`);
        tally.rounds[round.name] = (tally.rounds[round.name] ?? 0) + 1;
        const started = Date.now();
        try {
          const failure = await round.run(round.rng, tag, tally);
          if (failure) failures.push(`round ${round.i} (${round.name}): ${failure}`);
        } catch (e) {
          failures.push(`round ${round.i} (${round.name}): ${(e as Error).message}`);
        }
        const left = await waitGone(tag);
        tally.ms[round.name] = (tally.ms[round.name] ?? 0) + Date.now() - started;
        tally.leftovers.push(...left);
        if (left.length) failures.push(`round ${round.i} (${round.name}): left ${left.join("; ")}`);
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    console.log(
      `chaos seed ${SEED}: ${ROUNDS} rounds in ${((Date.now() - t0) / 1000).toFixed(1)} s ${JSON.stringify({ ...tally, leftovers: tally.leftovers.length })}`,
    );
    for (const f of failures) console.log(`chaos failure: ${f}`);
    expect(failures).toEqual([]);
    expect(tally.leftovers).toEqual([]);
    if (only !== undefined) return;
    // Every scenario ran, and the rounds did kill and interrupt (a chaos test that does nothing cannot fail).
    expect(Object.keys(tally.rounds).sort()).toEqual(SCENARIOS.map(([n]) => n).sort());
    expect(Object.values(tally.kills).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    expect(tally.interrupts).toBeGreaterThan(0);
  }, 180_000);
});
