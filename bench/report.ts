/** @file Benchmark results: figures with their targets, a plain-text table, and the JSON file. */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname } from "node:path";

/** One reported figure: a measured number, its target, and whether it is met. */
export interface Figure {
  workload: string;
  /** What is measured, e.g. "gradlab / hand-written". */
  name: string;
  value: number;
  unit: string;
  /** The target as text, e.g. "<= 1.2". */
  target: string;
  /** Whether the target is met; undefined for context figures without a target. */
  met: boolean | undefined;
  /** The times the figure was computed from, e.g. "gradlab 9.1 ms, hand-written 8.3 ms". */
  basis: string;
}

/**
 * A figure checked against an upper bound.
 *
 * @example
 * atMost("W1", "gradlab / hand-written", 1.1, "x", 1.2, "gradlab 9.1 ms, hand 8.3 ms").met; // true
 */
export function atMost(workload: string, name: string, value: number, unit: string, bound: number, basis: string): Figure {
  return { workload, name, value, unit, target: `<= ${bound}`, met: value <= bound, basis };
}

/**
 * A figure reported for context, with no target.
 *
 * @example
 * info("W5", "jacfwd / jacrev", 12.5, "x", "jacfwd 1.2 ms, jacrev 0.1 ms");
 */
export function info(workload: string, name: string, value: number, unit: string, basis: string): Figure {
  return { workload, name, value, unit, target: "", met: undefined, basis };
}

/** A number rounded for display: 3 significant digits, no exponent for ordinary sizes. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

/**
 * The figures as an aligned text table.
 *
 * @example
 * console.log(formatTable([atMost("W1", "ratio", 1.1, "x", 1.2, "")]));
 */
export function formatTable(figures: readonly Figure[]): string {
  const header = ["workload", "figure", "value", "target", "met", "measured"];
  const rows = figures.map((f) => [
    f.workload,
    f.name,
    `${fmt(f.value)} ${f.unit}`,
    f.target,
    f.met === undefined ? "" : f.met ? "yes" : "NO",
    f.basis,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Where and when a benchmark ran. */
export interface MachineInfo {
  date: string;
  node: string;
  cpu: string | undefined;
  cores: number;
  /** 1, 5 and 15 minute load averages. */
  loadavg: number[];
  /** Short commit hash, "+" when src/ or kernel/ had uncommitted changes. */
  commit: string | undefined;
}

/**
 * Where and when a benchmark ran: node version, CPU, git commit (when available).
 *
 * @example
 * const meta = machineInfo();
 */
export function machineInfo(): MachineInfo {
  const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  let commit: string | undefined;
  try {
    // "+" marks uncommitted changes under src/ or kernel/: the figures are for the working tree.
    commit = git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain", "--", "src", "kernel") ? "+" : "");
  } catch {
    commit = undefined; // not a git checkout: the figures stand without it
  }
  const cpu = cpus();
  // The load average shows how busy the (shared) machine was: absolute times depend on it.
  return { date: new Date().toISOString(), node: process.version, cpu: cpu[0]?.model, cores: cpu.length, loadavg: loadavg(), commit };
}

/**
 * Writes `data` as pretty JSON, creating the folder.
 *
 * @example
 * writeJson("out/bench/autodiff.json", { figures });
 */
export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
