/**
 * @file Start-up first: once a kernel on a shared server has answered its first cell, the cells it
 * runs next give way to kernels that are still starting.
 *
 * Linux shares the CPU between sessions before processes (the scheduler's autogroups, on by default
 * on desktops and servers alike: `/proc/sys/kernel/sched_autogroup_enabled`); Jupyter starts each
 * kernel in a session of its own, and JupyterHub each student's server, so a process's own nice
 * value changes nothing between students. What does is the nice value of the session's autogroup,
 * `/proc/PID/autogroup`, which a user may raise for their own processes' sessions (only lowering it
 * needs privilege, and writers without CAP_SYS_ADMIN share one change per 100 ms, machine-wide:
 * EAGAIN).
 *
 * The protocol process raises it after the kernel's first execute_reply, for its own session and
 * the executor's (a session of its own, and of the processes its cells start): every cell from then
 * on weighs less than a kernel's start, a notebook server's start and the hub, and the same as
 * every other started kernel's. Nothing changes while the CPU has room. A new executor (after a
 * crash) starts at its session's priority again, until its first cell. Only a session's leader
 * changes its session (the protocol process leads one when Jupyter or `gradlab run` starts it, never
 * the terminal's), and never to a lower nice value than it has (one set higher by hand stays).
 */
import { readFileSync, writeFileSync } from "node:fs";

/** The autogroup nice value of a started kernel under JupyterHub when `GRADLAB_RUN_NICE` is unset. */
export const HUB_RUN_NICE = 10;

/**
 * The autogroup nice value the kernel's cells run at after its first one: `GRADLAB_RUN_NICE` (0 to
 * 19; 0 turns it off) when set, else {@link HUB_RUN_NICE} on a JupyterHub single-user server
 * (`JUPYTERHUB_USER` in the environment, as the server hands it down), else 0.
 *
 * @example
 * runNice({ JUPYTERHUB_USER: "ada" }) // 10
 * runNice({ GRADLAB_RUN_NICE: "0", JUPYTERHUB_USER: "ada" }) // 0
 * runNice({}) // 0
 */
export function runNice(env: NodeJS.ProcessEnv): number {
  const given = env.GRADLAB_RUN_NICE;
  if (given !== undefined && given.trim() !== "") {
    const n = Number(given);
    if (!Number.isInteger(n) || n < 0 || n > 19) {
      throw new Error(`GRADLAB_RUN_NICE=${given}: expected a whole number from 0 (off) to 19`);
    }
    return n;
  }
  return env.JUPYTERHUB_USER ? HUB_RUN_NICE : 0;
}

/** What {@link lowerRunPriority} reads and writes (the real /proc unless a test gives another). */
export interface ProcFiles {
  read(path: string): string;
  write(path: string, text: string): void;
  /** Waits `ms` before a retry. */
  sleep(ms: number): Promise<void>;
}

const realProc: ProcFiles = {
  read: (p) => readFileSync(p, "utf8"),
  write: (p, t) => writeFileSync(p, t),
  sleep: (ms) => new Promise((ok) => setTimeout(ok, ms).unref()),
};

/** Retries after EAGAIN (another process changed an autogroup within the last 100 ms). */
const RETRY_MS = 120;
const RETRIES = 100;

/**
 * Sets the autogroup nice value of `pid`'s session to `nice` when that lowers its priority and
 * `pid` leads its session. Resolves with what it did, never rejects.
 *
 * @example
 * await lowerRunPriority(10, executorPid) // "set 10", or e.g. "skipped: not the session's leader"
 */
export async function lowerRunPriority(nice: number, pid: number, proc: ProcFiles = realProc): Promise<string> {
  if (nice <= 0) return "skipped: off";
  const file = `/proc/${pid}/autogroup`;
  try {
    if (proc.read("/proc/sys/kernel/sched_autogroup_enabled").trim() !== "1") return "skipped: no autogroups";
  } catch {
    return "skipped: no autogroups";
  }
  let current: number;
  try {
    // /proc/PID/stat: "pid (comm) state ppid pgrp session ..."; comm may hold spaces and parentheses.
    const stat = proc.read(`/proc/${pid}/stat`);
    const session = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[3]);
    if (session !== pid) return "skipped: not the session's leader";
    // "/autogroup-123 nice 0"
    const m = /nice (-?\d+)/.exec(proc.read(file));
    if (!m) return "skipped: unreadable autogroup";
    current = Number(m[1]);
  } catch (e) {
    // The process is gone (an executor that died at once), or /proc is not Linux's.
    return `skipped: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
  if (current >= nice) return `skipped: already ${current}`;
  for (let i = 0; ; i++) {
    try {
      proc.write(file, String(nice));
      return `set ${nice}`;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EAGAIN" || i >= RETRIES) return `skipped: ${code ?? (e as Error).message}`;
      await proc.sleep(RETRY_MS);
    }
  }
}
