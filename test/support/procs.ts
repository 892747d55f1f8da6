/**
 * @file Finding the processes of one kernel (for the tests and bench/faults.ts), wherever they
 * were reparented: every kernel a test starts carries a unique `GRADLAB_TEST_TAG` in its
 * environment, which the executor and anything a cell starts inherit. A zombie (exited, not yet reaped by whoever adopted it) is
 * not alive: it runs nothing and holds no pipe.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePorts } from "../../cli/client/messages.js";

/** A fresh tag for one kernel's processes. */
export function newTag(label: string): string {
  return `${label}-${randomUUID()}`;
}

/** The state letter of a process (R, S, D, Z, ...), or undefined when it is gone. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

/** Whether the scheduler divides the CPU between sessions first (Linux's autogroups, kernel/protocol/priority.ts). */
export function autogroupsEnabled(): boolean {
  try {
    return readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() === "1";
  } catch {
    return false;
  }
}

/** The nice value of the autogroup (session) `pid` runs in. */
export function autogroupNice(pid: number): number {
  return Number(/nice (-?\d+)/.exec(readFileSync(`/proc/${pid}/autogroup`, "utf8"))![1]);
}

/** Whether `pid` runs (exists and is not a zombie). */
export function alive(pid: number): boolean {
  const state = processState(pid);
  return state !== undefined && state !== "Z" && state !== "X";
}

/** Pids of live processes whose environment holds `GRADLAB_TEST_TAG=<tag>`. */
export function tagged(tag: string): number[] {
  const needle = `GRADLAB_TEST_TAG=${tag}\0`;
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`, "latin1").includes(needle) && alive(Number(name))) out.push(Number(name));
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return out;
}

/**
 * Poll (every 50 ms, at most `maxMs`) until no process carries `tag`; returns those left with
 * their command lines. The bound only keeps a regression from hanging the suite: it is never
 * a timing assertion.
 */
export async function waitGone(tag: string, maxMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const left = tagged(tag);
    if (left.length === 0 || Date.now() > deadline) return left.map(describe);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Poll until `pid` no longer runs (at most `maxMs`); whether it ended. A process that is exiting
 * can no longer be read by its tag (its memory, environment included, goes first) while it is
 * not yet a zombie: this waits for the end of that, too.
 */
export async function waitDead(pid: number, maxMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + maxMs;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

function describe(pid: number): string {
  try {
    return `${pid} (${processState(pid)}): ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim()}`;
  } catch {
    return String(pid);
  }
}

/** Send `signal` to a process or (negative pid) a group; false when it was already gone. */
export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Write a connection file with five free loopback ports into `dir`; returns its path. */
export async function writeConnectionFile(dir: string): Promise<string> {
  const names = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"];
  const got = await freePorts(names.length);
  const file = join(dir, "kernel.json");
  const ports = Object.fromEntries(names.map((n, i) => [n, got[i]!]));
  writeFileSync(
    file,
    JSON.stringify({ transport: "tcp", ip: "127.0.0.1", key: randomBytes(16).toString("hex"), signature_scheme: "hmac-sha256", ...ports }),
  );
  return file;
}
