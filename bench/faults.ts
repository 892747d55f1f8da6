/**
 * @file `npm run bench:faults`: the kernel's fault probe, against the real kernel over ZeroMQ.
 * Each fault is tried `--reps` times; the table gives what the cell got, whether the notebook's
 * state survived, how long until the reply (or until no process of the kernel was left), and
 * how many processes were left. Writes out/bench/faults.json.
 *
 * Usage: node dist/bench/faults.js [--reps 5] [--only SUBSTRING] [--out FILE]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelClient } from "../cli/client/kernel-client.js";
import { newTag, signal, tagged, waitGone, writeConnectionFile } from "../test/support/procs.js";
import { formatTable } from "../src/display/table.js";
import { writeJson } from "./report.js";
import { quantile } from "./timing.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ARGV = [process.execPath, join(ROOT, "bin/gradlab.js"), "kernel", "{connection_file}"];

/** One try of one fault. */
interface Trial {
  /** What the faulty cell got (ename or "ok"), or "-" where no cell ran. */
  got: string;
  /** Whether a value defined before the fault was still there after it. */
  stateKept: boolean | null;
  /** Milliseconds until the reply, or until no process of the kernel was left. */
  ms: number;
  /** Processes of the kernel left after the bound (must be 0). */
  left: number;
}

async function start(tag: string, env: Record<string, string> = {}): Promise<KernelClient> {
  return KernelClient.start({ argv: ARGV, env: { GRADLAB_TEST_TAG: tag, ...env } });
}

/**
 * A cell that faults; the reply time, and whether `kept` survived. With `interrupt`, the cell
 * first prints "go", is left 300 ms to reach its loop or await, and is interrupted: the time is
 * then from the interrupt to the reply.
 */
async function cellFault(code: string, env: Record<string, string> = {}, interrupt = false): Promise<Trial> {
  const tag = newTag("fault");
  const kc = await start(tag, env);
  try {
    await kc.execute("const kept = 41;");
    let go!: () => void;
    const started = new Promise<void>((r) => (go = r));
    let t0 = performance.now();
    const running = interrupt
      ? kc.execute(`console.log("go");\n${code}`, { timeoutMs: 60_000, onOutput: (o) => o.some((x) => x.output_type === "stream") && go() })
      : kc.execute(code, { timeoutMs: 120_000 });
    if (interrupt) {
      await started;
      await new Promise((r) => setTimeout(r, 300));
      t0 = performance.now();
      await kc.interrupt();
    }
    const r = await running;
    const ms = performance.now() - t0;
    const after = await kc.execute("kept + 1", { timeoutMs: 60_000 });
    const kept = after.outputs.some((o) => o.output_type === "execute_result" && o.data["text/plain"] === "42");
    return { got: r.error?.ename ?? r.status, stateKept: kept, ms, left: 0 };
  } finally {
    await kc.close();
    await waitGone(tag);
  }
}

/** A kernel killed some way; the time until none of its processes is left. */
async function killFault(kill: (kc: KernelClient) => Promise<void> | void): Promise<Trial> {
  const tag = newTag("fault");
  const kc = await start(tag);
  try {
    await kill(kc);
    const t0 = performance.now();
    const left = await waitGone(tag, 30_000);
    return { got: "-", stateKept: null, ms: performance.now() - t0, left: left.length };
  } finally {
    await kc.close().catch(() => undefined);
  }
}

/** Whatever started the kernel is SIGKILLed; the time until the kernel and executor are gone. */
async function parentFault(): Promise<Trial> {
  const tag = newTag("fault");
  const dir = mkdtempSync(join(tmpdir(), "gradlab-faults-"));
  try {
    const file = await writeConnectionFile(dir);
    const script = `require("node:child_process").spawn(process.execPath, ${JSON.stringify([ARGV[1], "kernel", file])}, { stdio: "ignore", env: { ...process.env, JPY_PARENT_PID: String(process.pid), GRADLAB_TEST_TAG: ${JSON.stringify(tag)} } }); setInterval(() => {}, 1000);`;
    const launcher = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
    for (let i = 0; i < 600 && tagged(tag).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    launcher.kill("SIGKILL");
    const t0 = performance.now();
    const left = await waitGone(tag, 30_000);
    return { got: "-", stateKept: null, ms: performance.now() - t0, left: left.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function spinning(kc: KernelClient): Promise<void> {
  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  void kc
    .execute('console.log("go");\nwhile (true) {}', { onOutput: (o) => o.some((x) => x.output_type === "stream") && go() })
    .catch(() => undefined);
  await started;
}

const FAULTS: [string, () => Promise<Trial>][] = [
  ["interrupt: while (true) {}", () => cellFault("while (true) {}", {}, true)],
  ["interrupt: a loop after an await", () => cellFault("await new Promise((r) => setTimeout(r, 10));\nwhile (true) {}", {}, true)],
  ["interrupt: a pending await", () => cellFault("await new Promise(() => {});", {}, true)],
  ["cell: process.exit(3)", () => cellFault("process.exit(3)")],
  ["cell: process.kill(process.pid, 'SIGKILL')", () => cellFault('process.kill(process.pid, "SIGKILL")')],
  ["cell: executor killed from outside (kill -9)", () => cellFault('require("node:child_process").execSync("kill -9 " + process.pid)')],
  [
    "cell: Float64Arrays without end (1G limit)",
    () => cellFault("const hog: Float64Array[] = [];\nwhile (true) hog.push(new Float64Array(1 << 24));", { GRADLAB_MEMORY_LIMIT: "1G" }),
  ],
  [
    "cell: objects without end (1G limit)",
    () =>
      cellFault('const objs: object[] = [];\nlet i = 0;\nwhile (true) objs.push({ i: i++, s: "x" + i });', { GRADLAB_MEMORY_LIMIT: "1G" }),
  ],
  ["kernel's group SIGKILLed after kernel_info_reply", () => killFault((kc) => void signal(-kc.pid!, "SIGKILL"))],
  [
    "protocol process SIGKILLed, cell in while (true)",
    () =>
      killFault(async (kc) => {
        await spinning(kc);
        signal(kc.pid!, "SIGKILL");
      }),
  ],
  ["the kernel's parent SIGKILLed", parentFault],
  [
    "shutdown_request",
    () =>
      killFault(async (kc) => {
        await kc.execute("1 + 1");
        void kc.request("control", "shutdown_request", { restart: false });
      }),
  ],
  [
    "SIGTERM",
    () =>
      killFault(async (kc) => {
        await kc.execute("1 + 1");
        signal(kc.pid!, "SIGTERM");
      }),
  ],
];

async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const reps = Number(arg("--reps") ?? 5);
  const rows: string[][] = [];
  const json: Record<string, unknown>[] = [];
  const only = arg("--only");
  for (const [name, run] of FAULTS.filter(([n]) => only === undefined || n.includes(only))) {
    const trials: Trial[] = [];
    for (let i = 0; i < reps; i++) trials.push(await run());
    const times = trials.map((t) => t.ms);
    const got = [...new Set(trials.map((t) => t.got))].join("/");
    const kept = trials[0]!.stateKept === null ? "-" : `${trials.filter((t) => t.stateKept).length}/${reps}`;
    const left = trials.reduce((n, t) => n + t.left, 0);
    rows.push([
      name,
      got,
      kept,
      `${quantile(times, 0.5).toFixed(0)} (${Math.min(...times).toFixed(0)}-${Math.max(...times).toFixed(0)})`,
      String(left),
    ]);
    json.push({ fault: name, got, stateKept: kept, ms: trials.map((t) => Math.round(t.ms)), left });
    console.log(`${name}: ${got}, state kept ${kept}, ${rows.at(-1)![3]} ms, left ${left}`);
  }
  console.log(
    "\n" +
      formatTable(
        [["fault", "the cell got", "state kept", "ms to reply / to no process left: median (min-max)", "processes left"], ...rows],
        200,
      ),
  );
  writeJson(arg("--out") ?? join(ROOT, "out", "bench", "faults.json"), { reps, faults: json });
  return rows.every((r) => r[4] === "0") ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e);
    process.exitCode = 1;
  },
);
