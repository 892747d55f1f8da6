/**
 * @file CPU seconds of a class's processes from /proc (user + system time of each process, which
 * the machine's load does not change, unlike wall time): every process carrying a hub's test tag,
 * by its role (hub, proxy, a student's notebook server, kernel protocol process, executor) and
 * student (`JUPYTERHUB_USER`). A process is counted up to the last time it was read, so the
 * tracker reads them often enough that one that exits loses little.
 */
import { readdirSync, readFileSync } from "node:fs";
import { isExecutorCommand } from "../kernel/node/executor-bundle.js";

/** What a process of the class is. */
export type Role = "hub" | "proxy" | "server" | "kernel" | "executor" | "snapshot builder" | "other";

/** Clock ticks per second of /proc/PID/stat's times (USER_HZ, 100 on Linux). */
const HZ = 100;

interface Proc {
  role: Role;
  user: string | undefined;
  /** The process's start (field 22 of its stat), so a reused pid is a new process. */
  start: string;
  cpu: number;
  /** Its command line when last read. */
  cmd: string;
  /** Read with its parent's command line: maybe not exec'd yet. */
  forked: boolean;
}

/** utime + stime (seconds), start and parent of a process, or undefined when it is gone. */
function stat(pid: number): { cpu: number; start: string; ppid: number } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { cpu: (Number(f[11]) + Number(f[12])) / HZ, start: f[19]!, ppid: Number(f[1]) };
  } catch {
    return undefined;
  }
}

/** A process's command line, its arguments joined by spaces (undefined once it is gone). */
function cmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return undefined;
  }
}

/** The student a process belongs to (`JUPYTERHUB_USER` in its environment). */
function userOf(env: string): string | undefined {
  return /(?:^|\0)JUPYTERHUB_USER=([^\0]*)/.exec(env)?.[1];
}

function roleOf(cmd: string): Role {
  if (cmd.includes("jupyterhub -f")) return "hub";
  if (cmd.includes("configurable-http-proxy")) return "proxy";
  if (cmd.includes("jupyterhub-singleuser")) return "server";
  if (cmd.includes("snapshot-builder")) return "snapshot builder";
  if (isExecutorCommand(cmd)) return "executor";
  if (cmd.includes("gradlab.js kernel") || cmd.includes("protocol/main.js")) return "kernel";
  return "other";
}

/** Tracks the CPU of every process whose environment holds `GRADLAB_TEST_TAG=<tag>`. */
export class ProcCpu {
  private readonly procs = new Map<number, Proc>();
  /** Processes read once and not tagged (pid to start): their environment is not read again. */
  private readonly untagged = new Map<number, string>();
  private readonly needle: string;
  /** This process's own CPU spent reading /proc (seconds), to take out of its figures. */
  overhead = 0;

  constructor(tag: string) {
    this.needle = `GRADLAB_TEST_TAG=${tag}\0`;
  }

  /**
   * Finds new tagged processes and reads every known one's CPU; with `newOnly`, only looks at
   * processes whose pid it has not seen (a pid reused meanwhile waits for the next full scan).
   */
  scan(newOnly = false): void {
    const t = process.cpuUsage();
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (newOnly && (this.procs.has(pid) || this.untagged.has(pid))) continue;
      const st = stat(pid);
      if (!st) continue;
      if (this.untagged.get(pid) === st.start) continue;
      const known = this.procs.get(pid);
      if (known && known.start === st.start) {
        known.cpu = st.cpu;
        if (known.forked) this.reread(pid, known);
        continue;
      }
      try {
        const env = readFileSync(`/proc/${pid}/environ`, "latin1");
        const cmd = cmdline(pid);
        if (cmd === undefined) continue;
        // A process read between its fork and its exec shows its parent's command line and
        // environment: it is read again until it shows its own (see `reread`).
        const forked = cmd === cmdline(st.ppid);
        if (!env.includes(this.needle)) {
          // Not tagged, for good once it has exec'd: its environment is not read again.
          if (!forked && env.length > 0) this.untagged.set(pid, st.start);
          continue;
        }
        // A reused pid is a new process: the old one is kept under another key.
        if (known) this.procs.set(-pid - this.procs.size * 1e7, known);
        this.procs.set(pid, { role: roleOf(cmd), user: userOf(env), start: st.start, cpu: st.cpu, cmd, forked });
      } catch {
        // gone, or not ours to read
        this.untagged.set(pid, st.start);
      }
    }
    const d = process.cpuUsage(t);
    this.overhead += (d.user + d.system) / 1e6;
  }

  /** A process first read as its parent's copy: once it has exec'd, what it is now (or untracked, untagged). */
  private reread(pid: number, p: Proc): void {
    const cmd = cmdline(pid);
    if (cmd === undefined || cmd === p.cmd) return;
    let env: string;
    try {
      env = readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      return;
    }
    if (!env.includes(this.needle)) {
      this.procs.delete(pid);
      this.untagged.set(pid, p.start);
      return;
    }
    Object.assign(p, { role: roleOf(cmd), user: userOf(env), cmd, forked: false });
  }

  /** Reads the CPU of `user`'s known processes now (no scan for new ones); their sum by role. */
  userNow(user: string): Partial<Record<Role, number>> {
    const out: Partial<Record<Role, number>> = {};
    for (const [pid, p] of this.procs) {
      if (p.user !== user) continue;
      const st = pid > 0 ? stat(pid) : undefined;
      if (st && st.start === p.start) {
        p.cpu = st.cpu;
        if (p.forked) this.reread(pid, p);
      }
      if (this.procs.get(pid) !== p || p.user !== user) continue;
      out[p.role] = (out[p.role] ?? 0) + p.cpu;
    }
    return out;
  }

  /** CPU seconds so far by role, over every process but those of the users in `except`. */
  byRole(except: readonly string[] = []): Partial<Record<Role, number>> {
    const out: Partial<Record<Role, number>> = {};
    for (const p of this.procs.values()) {
      if (p.user !== undefined && except.includes(p.user)) continue;
      out[p.role] = (out[p.role] ?? 0) + p.cpu;
    }
    return out;
  }
}
