/**
 * @file Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time and
 * the most total (inclusive) time, so a benchmark's bottleneck can be named with its share.
 *
 * Usage: node --cpu-prof --cpu-prof-dir=out/prof dist/bench/run.js --only W4
 *        node dist/bench/profile.js out/prof/CPU.*.cpuprofile [--top 20]
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self and total time of one function (all its call sites merged), in ms. */
export interface FunctionTime {
  name: string;
  self: number;
  total: number;
}

const label = (n: ProfileNode) => {
  const file = n.callFrame.url.split("/").slice(-2).join("/");
  return `${n.callFrame.functionName || "(anonymous)"} ${file}:${n.callFrame.lineNumber + 1}`;
};

/**
 * Self and total time per function; total counts a function once per sample even when recursive.
 *
 * @example
 * summarizeProfile(JSON.parse(readFileSync(file, "utf8"))).slice(0, 10);
 */
export function summarizeProfile(p: Profile): FunctionTime[] {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    const node = byId.get(id);
    if (!node) return;
    self.set(label(node), (self.get(label(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur) as ProfileNode);
      if (!seen.has(l)) total.set(l, (total.get(l) ?? 0) + dt);
      seen.add(l);
    }
  });
  return [...total.keys()].map((name) => ({ name, self: self.get(name) ?? 0, total: total.get(name) ?? 0 }));
}

function main(argv: string[]): number {
  const files = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--top");
  const topAt = argv.indexOf("--top");
  const top = topAt >= 0 ? Number(argv[topAt + 1]) : 25;
  if (files.length === 0) throw new Error("profile: expected a .cpuprofile file, got none");
  for (const file of files) {
    const rows = summarizeProfile(JSON.parse(readFileSync(file, "utf8")) as Profile);
    const all = rows.reduce((s, r) => s + r.self, 0);
    const print = (title: string, key: "self" | "total") => {
      console.log(`\n${title} (of ${all.toFixed(0)} ms sampled, ${file})`);
      for (const r of [...rows].sort((x, y) => y[key] - x[key]).slice(0, top)) {
        console.log(`${((100 * r[key]) / all).toFixed(1).padStart(6)}%  ${r[key].toFixed(0).padStart(7)} ms  ${r.name}`);
      }
    };
    print("self time", "self");
    print("total time", "total");
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
