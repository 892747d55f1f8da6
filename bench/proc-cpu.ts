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
}

/** utime + stime (seconds) and start of a process, or undefined when it is gone. */
function stat(pid: number): { cpu: number; start: string } | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { cpu: (Number(f[11]) + Number(f[12])) / HZ, start: f[19]! };
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
  private readonly needle: string;
  /** This process's own CPU spent reading /proc (seconds), to take out of its figures. */
  overhead = 0;

  constructor(tag: string) {
    this.needle = `GRADLAB_TEST_TAG=${tag}\0`;
  }

  /** Finds new tagged processes and reads every known one's CPU. */
  scan(): void {
    const t = process.cpuUsage();
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      const known = this.procs.get(pid);
      const st = stat(pid);
      if (!st) continue;
      if (known && known.start === st.start) {
        known.cpu = st.cpu;
        // A process first seen between its fork and its exec (an executor forked by its protocol
        // process) shows its parent's command line: look again until it shows its own.
        const cmd = known.role === "kernel" || known.role === "other" ? cmdline(pid) : undefined;
        if (cmd !== undefined) known.role = roleOf(cmd);
        continue;
      }
      try {
        const env = readFileSync(`/proc/${pid}/environ`, "latin1");
        if (!env.includes(this.needle)) continue;
        const user = /(?:^|\0)JUPYTERHUB_USER=([^\0]*)/.exec(env)?.[1];
        const cmd = cmdline(pid);
        if (cmd === undefined) continue;
        // A reused pid is a new process: the old one is kept under another key.
        if (known) this.procs.set(-pid - this.procs.size * 1e7, known);
        this.procs.set(pid, { role: roleOf(cmd), user, start: st.start, cpu: st.cpu });
      } catch {
        // gone, or not ours to read
      }
    }
    const d = process.cpuUsage(t);
    this.overhead += (d.user + d.system) / 1e6;
  }

  /** Reads the CPU of `user`'s known processes now (no scan for new ones); their sum by role. */
  userNow(user: string): Partial<Record<Role, number>> {
    const out: Partial<Record<Role, number>> = {};
    for (const [pid, p] of this.procs) {
      if (p.user !== user) continue;
      const st = pid > 0 ? stat(pid) : undefined;
      if (st && st.start === p.start) p.cpu = st.cpu;
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
