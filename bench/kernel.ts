/**
 * @file `npm run bench:kernel`: gradlab's kernel against tslab's own kernel, both
 * driven by jupyter_client (Debian's, on /usr/bin/python3) as a front end drives them. Prints a
 * table and writes out/bench/kernel.json. Two floors run in the same harness: `echo`
 * (bench/echo-kernel.ts: the same messages, no code run: the client's and ZeroMQ's cost) and
 * Debian's ipykernel (its typed-function cell is the Python equivalent), so the `1+1` target can
 * be judged against what the client itself takes. The cells are then timed again by a client at
 * the wire (kernel_bench.py's WireClient), which leaves less of the client in each figure.
 *
 * Start-up is timed as a student meets it: the first cell sent at once after the kernel starts (in
 * gradlab an import of the library and a gradient), with the kernel's CPU time until its result; 8
 * kernels started together, each sending its first cell (the storm: until the last result); and the
 * memory of all the kernel's processes after notebook 04's first cells (RSS, from /proc).
 *
 * Usage: node dist/bench/kernel.js [--kernels gradlab,tslab,echo,ipykernel] [--starts 5] [--reps 30] [--loop-reps 5]
 *   [--blocks first,storm,memory,startup,cells] [--storm 8] [--storm-kernels gradlab,tslab] [--nb-cells 8] [--cwd DIR] [--out FILE]
 *
 * The kernels run in `--cwd`, by default a fresh empty folder: a student's notebook folder (as
 * `gradlab notebooks` makes), with no node_modules of its own.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kernelArgv } from "../kernel/kernelspec.js";
import { isExecutorCommand } from "../kernel/node/executor-bundle.js";
import { atMost, fmt, formatTable, info, machineInfo, writeJson, type Figure } from "./report.js";
import { summarize, type Stats } from "./timing.js";

/** The interpreter Debian's Jupyter runs on (the first python3 on PATH lacks jupyter_client). */
const PYTHON = "/usr/bin/python3";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The kernel.json argv of each measured kernel (run from the repo root, as built). */
const KERNELS: Record<string, { argv: string[]; display: string }> = {
  // As kernel.json starts it (its protocol process's flags included).
  gradlab: { argv: kernelArgv(), display: "TypeScript (gradlab)" },
  tslab: {
    argv: [process.execPath, join(ROOT, "node_modules/tslab/bin/tslab"), "kernel", "--config-path", "{connection_file}"],
    display: "TypeScript (tslab)",
  },
  // Floors (what jupyter_client and ZeroMQ cost here): a Node kernel that runs nothing, and IPython.
  echo: { argv: [process.execPath, join(ROOT, "dist/bench/echo-kernel.js"), "{connection_file}"], display: "echo (floor)" },
  ipykernel: { argv: [PYTHON, "-m", "ipykernel_launcher", "-f", "{connection_file}"], display: "Python 3 (ipykernel)" },
};

/** What kernel_bench.py reports per kernel, times in seconds. */
interface RawKernel {
  /** Start to the execute_reply of the first cell, sent at once after start (kernel_bench.py FIRST_CELLS). */
  first_cell_at_once: number[];
  /** CPU seconds of the kernel's processes from start to that reply, and once the kernel has settled after it. */
  first_cell_cpu: number[];
  first_cell_settled_cpu: number[];
  /** The storm: seconds from the common start to each kernel's first result (sorted), and their CPU seconds in all. */
  storm: number[] | null;
  storm_cpu: number | null;
  /** RSS of each process of the kernel's tree: after the first cell, and (gradlab) after notebook 04's first cells. */
  memory: { first: [string, number][]; cells?: [string, number][] } | null;
  startup: number[];
  first_result: number[];
  one_plus_one: number[];
  /** `1+1 // i`: new cell text each time (no compile cache can help). */
  one_plus_one_fresh: number[];
  typed_function: number[];
  /** Mean CPU seconds of the kernel's process tree per cell (null without psutil). */
  one_plus_one_cpu: number | null;
  one_plus_one_fresh_cpu: number | null;
  typed_function_cpu: number | null;
  first_cell: number | null;
  errors: string[];
  /** A 3e6-step loop over a notebook variable at the cell's top level, and in a function called at once (TypeScript kernels). */
  loop: { top_level: number[]; in_function: number[] };
  /** The same three blocks timed by a client at the wire (kernel_bench.py's WireClient). */
  wire: { one_plus_one: number[]; one_plus_one_fresh: number[]; typed_function: number[] };
}

/**
 * Writes a kernelspec for each named kernel under `dir/kernels/<name>/kernel.json`.
 *
 * @example
 * writeKernelspecs("/tmp/jp", ["tslab"]); // then JUPYTER_PATH=/tmp/jp
 */
export function writeKernelspecs(dir: string, names: string[]): void {
  for (const name of names) {
    const k = KERNELS[name];
    if (!k) throw new Error(`bench:kernel: expected a kernel among ${Object.keys(KERNELS).join(", ")}, got "${name}"`);
    mkdirSync(join(dir, "kernels", name), { recursive: true });
    const spec = { argv: k.argv, display_name: k.display, language: "typescript", interrupt_mode: "signal" };
    writeFileSync(join(dir, "kernels", name, "kernel.json"), JSON.stringify(spec, null, 2));
  }
}

interface Args {
  kernels: string[];
  starts: number;
  reps: number;
  loopReps: number;
  blocks: string;
  storm: number;
  stormKernels: string;
  nbCells: number;
  cwd: string | undefined;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const o: Args = {
    kernels: ["gradlab", "tslab", "echo", "ipykernel"],
    starts: 5,
    reps: 30,
    loopReps: 5,
    blocks: "first,storm,memory,startup,cells",
    storm: 8,
    stormKernels: "gradlab,tslab",
    nbCells: 8,
    cwd: undefined,
    out: "out/bench/kernel.json",
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`bench:kernel: expected a value after ${flag}`);
    if (flag === "--kernels") o.kernels = value.split(",");
    else if (flag === "--starts") o.starts = Number(value);
    else if (flag === "--reps") o.reps = Number(value);
    else if (flag === "--loop-reps") o.loopReps = Number(value);
    else if (flag === "--blocks") o.blocks = value;
    else if (flag === "--storm") o.storm = Number(value);
    else if (flag === "--storm-kernels") o.stormKernels = value;
    else if (flag === "--nb-cells") o.nbCells = Number(value);
    else if (flag === "--cwd") o.cwd = value;
    else if (flag === "--out") o.out = value;
    else
      throw new Error(
        `bench:kernel: expected --kernels, --starts, --reps, --loop-reps, --blocks, --storm, --storm-kernels, --nb-cells, --cwd or --out, got "${flag}"`,
      );
  }
  return o;
}

const msStats = (secs: number[]): Stats | undefined =>
  secs.length
    ? summarize(
        secs.map((s) => 1000 * s),
        1,
      )
    : undefined;
/** Puts the kernel's mean CPU time per cell (seconds, from kernel_bench.py) into the stats, in ms. */
const withCpu = (s: Stats | undefined, cpuSecs: number | null): Stats | undefined =>
  s && { ...s, cpuMedian: cpuSecs === null ? Number.NaN : 1000 * cpuSecs };

/**
 * Runs the measurement and reports it; returns the exit code.
 *
 * @example
 * await main(["--kernels", "tslab", "--reps", "10"]);
 */
export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const dir = mkdtempSync(join(tmpdir(), "gradlab-bench-kernel-"));
  let raw: Record<string, RawKernel>;
  try {
    writeKernelspecs(dir, args.kernels);
    const script = join(ROOT, "bench/kernel_bench.py");
    const log = join(dir, "kernels.log");
    const cwd = args.cwd ?? join(dir, "notebooks");
    mkdirSync(cwd, { recursive: true });
    const cmd = [
      script,
      ...["--kernels", args.kernels.join(","), "--starts", String(args.starts), "--reps", String(args.reps)],
      ...["--loop-reps", String(args.loopReps), "--blocks", args.blocks, "--storm", String(args.storm)],
      ...["--storm-kernels", args.stormKernels, "--nb-cells", String(args.nbCells), "--cwd", cwd, "--log", log],
    ];
    const env = { ...process.env, JUPYTER_PATH: dir };
    const r = spawnSync(PYTHON, cmd, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 1 << 26, timeout: 30 * 60_000 });
    if (r.error) throw new Error(`bench:kernel: cannot run ${PYTHON}: ${r.error.message}`);
    if (r.status !== 0) {
      const tail = existsSync(log) ? readFileSync(log, "utf8").slice(-4000) : "";
      throw new Error(`bench:kernel: kernel_bench.py failed (exit ${r.status}):\n${r.stderr}\nkernel output (tail):\n${tail}`);
    }
    raw = JSON.parse(r.stdout) as Record<string, RawKernel>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const stats = Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [
      k,
      {
        startup: msStats(v.startup),
        firstCell: msStats(v.first_cell_at_once ?? []),
        firstCellCpu: msStats(v.first_cell_cpu ?? []),
        firstCellSettledCpu: msStats(v.first_cell_settled_cpu ?? []),
        storm: v.storm ? { times: v.storm.map((t) => 1000 * t), cpu: 1000 * (v.storm_cpu ?? Number.NaN) } : undefined,
        memory: v.memory ?? undefined,
        firstResult: msStats(v.first_result),
        onePlusOne: withCpu(msStats(v.one_plus_one), v.one_plus_one_cpu),
        onePlusOneFresh: withCpu(msStats(v.one_plus_one_fresh), v.one_plus_one_fresh_cpu),
        typedFunction: withCpu(msStats(v.typed_function), v.typed_function_cpu),
        loopTopLevel: msStats(v.loop?.top_level ?? []),
        loopInFunction: msStats(v.loop?.in_function ?? []),
        wire: {
          onePlusOne: msStats(v.wire.one_plus_one),
          onePlusOneFresh: msStats(v.wire.one_plus_one_fresh),
          typedFunction: msStats(v.wire.typed_function),
        },
      },
    ]),
  );
  console.log(formatTable(kernelFigures(stats)));
  for (const [k, v] of Object.entries(raw)) if (v.errors.length) console.log(`${k}: ${v.errors.length} problem(s), first: ${v.errors[0]}`);
  const meta = machineInfo();
  const [load] = meta.loadavg;
  if (load > meta.cores)
    console.log(`note: load average ${load.toFixed(1)} on ${meta.cores} cores: latencies are inflated, compare kernel cpu times.`);
  writeJson(args.out, { meta, figures: kernelFigures(stats), stats, raw });
  console.log(`written ${args.out}`);
  return 0;
}

/** Per-cell latencies of one block of cells. */
interface CellStats {
  onePlusOne?: Stats;
  onePlusOneFresh?: Stats;
  typedFunction?: Stats;
}
type KernelStats = Record<
  string,
  CellStats & {
    startup?: Stats;
    firstResult?: Stats;
    firstCell?: Stats;
    firstCellCpu?: Stats;
    firstCellSettledCpu?: Stats;
    /** Each kernel's first result from the storm's start (ms, sorted), and the CPU of all of them (ms). */
    storm?: { times: number[]; cpu: number };
    memory?: RawKernel["memory"];
    loopTopLevel?: Stats;
    loopInFunction?: Stats;
    wire?: CellStats;
  }
>;

const MB = 2 ** 20;
/** The RSS of a process list, in MB, and each process's share as text ("protocol 54, executor 260"). */
function rss(list: [string, number][]): { total: number; parts: string } {
  const total = list.reduce((a, [, b]) => a + b, 0) / MB;
  const label = (cmd: string) => (isExecutorCommand(cmd) ? "executor" : cmd.includes("gradlab.js kernel") ? "protocol" : "kernel");
  return { total, parts: list.map(([cmd, b]) => `${label(cmd)} ${fmt(b / MB)}`).join(", ") };
}

/**
 * The targets: gradlab's start-up (<= 1 s, and <= tslab's), `1+1` (<= 2 ms), a typed
 * function cell, type-checked (<= 8 ms), medians in ms, and a top-level loop over a notebook
 * variable at most 2x the same loop in a function; tslab's figures and the floors'
 * (echo, ipykernel) alongside for context (on a loaded machine compare with them, and with the
 * kernel cpu times).
 *
 * @example
 * formatTable(kernelFigures({ tslab: { startup: s } }));
 */
export function kernelFigures(stats: KernelStats): Figure[] {
  const g = stats.gradlab ?? {};
  const t = stats.tslab ?? {};
  const iqr = (s: Stats) =>
    `median ${fmt(s.median)} ms (IQR ${fmt(s.q1)}-${fmt(s.q3)}, n=${s.samples})` +
    (Number.isNaN(s.cpuMedian) ? "" : `, kernel cpu ${fmt(s.cpuMedian)} ms/cell`);
  const figures: Figure[] = [];
  const ms = (s: Stats) => `median ${fmt(s.median)} ms (IQR ${fmt(s.q1)}-${fmt(s.q3)}, n=${s.samples})`;
  // What a student waits for: the first cell, sent at once after start, in each kernel.
  for (const name of ["gradlab", "tslab", "echo", "ipykernel"]) {
    const k = stats[name];
    if (!k?.firstCell) continue;
    const cpu = k.firstCellCpu ? `; kernel cpu to the result ${ms(k.firstCellCpu)}` : "";
    const settled = k.firstCellSettledCpu ? `, until settled ${ms(k.firstCellSettledCpu)}` : "";
    const what = "start to first cell's result (sent at once)";
    figures.push(
      name === "gradlab"
        ? atMost("kernel", `gradlab ${what}: import gradlab + grad`, k.firstCell.median, "ms", 1000, ms(k.firstCell) + cpu + settled)
        : info(name, what, k.firstCell.median, "ms", ms(k.firstCell) + cpu + settled),
    );
    if (name === "gradlab" && k.firstCellCpu)
      figures.push(atMost("kernel", "gradlab kernel cpu, start to first result", k.firstCellCpu.median, "ms", 1000, ms(k.firstCellCpu)));
  }
  if (g.firstCell && t.firstCell)
    figures.push(
      atMost(
        "kernel",
        "gradlab first cell (import + grad) / tslab's plain first cell",
        g.firstCell.median / t.firstCell.median,
        "x",
        1,
        "",
      ),
    );
  for (const [name, k] of Object.entries(stats)) {
    if (!k.storm?.times.length) continue;
    const last = k.storm.times[k.storm.times.length - 1]!;
    const basis = `${k.storm.times.length} kernels: ${k.storm.times.map((x) => fmt(x / 1000)).join(", ")} s; cpu ${fmt(k.storm.cpu / 1000)} s in all`;
    const what = `storm: ${k.storm.times.length} kernels started together, until the last first result`;
    figures.push(name === "gradlab" ? atMost("kernel", `gradlab ${what}`, last, "ms", 5000, basis) : info(name, what, last, "ms", basis));
  }
  for (const [name, k] of Object.entries(stats)) {
    if (!k.memory) continue;
    const first = rss(k.memory.first);
    figures.push(
      info(name === "gradlab" ? "kernel" : name, `${name} RSS of all processes after the first cell`, first.total, "MB", first.parts),
    );
    if (k.memory.cells) {
      const cells = rss(k.memory.cells);
      figures.push(atMost("kernel", `gradlab RSS of all processes after notebook 04's first cells`, cells.total, "MB", 200, cells.parts));
    }
  }
  if (g.startup) figures.push(atMost("kernel", "gradlab start-up to kernel_info_reply", g.startup.median, "ms", 1000, iqr(g.startup)));
  if (g.firstResult) figures.push(info("kernel", "gradlab start-up to first `1+1` result", g.firstResult.median, "ms", iqr(g.firstResult)));
  if (g.startup && t.startup) {
    figures.push(atMost("kernel", "gradlab / tslab start-up", g.startup.median / t.startup.median, "x", 1, `tslab ${iqr(t.startup)}`));
  }
  if (g.firstResult && t.firstResult) {
    const basis = `gradlab ${iqr(g.firstResult)}; tslab ${iqr(t.firstResult)}`;
    figures.push(info("kernel", "gradlab / tslab start-up to first `1+1` result", g.firstResult.median / t.firstResult.median, "x", basis));
  }
  if (g.onePlusOne) figures.push(atMost("kernel", "gradlab `1+1`", g.onePlusOne.median, "ms", 2, iqr(g.onePlusOne)));
  // Both kernels reuse the compile of a cell run again unchanged; `1+1 // i` is new text each time.
  if (g.onePlusOneFresh)
    figures.push(info("kernel", "gradlab `1+1 // i` (new text: compiled)", g.onePlusOneFresh.median, "ms", iqr(g.onePlusOneFresh)));
  if (g.typedFunction) figures.push(atMost("kernel", "gradlab typed function cell", g.typedFunction.median, "ms", 8, iqr(g.typedFunction)));
  for (const [name, k] of [
    ["gradlab", g],
    ["tslab", t],
  ] as const) {
    if (!k.loopTopLevel || !k.loopInFunction) continue;
    const ratio = k.loopTopLevel.median / k.loopInFunction.median;
    const basis = `top level ${iqr(k.loopTopLevel)}; in a function ${iqr(k.loopInFunction)}`;
    const what = "3e6-step loop over a notebook variable: top level / in a function";
    figures.push(name === "gradlab" ? atMost("kernel", what, ratio, "x", 2, basis) : info(name, what, ratio, "x", basis));
  }
  if (t.startup) figures.push(info("tslab", "start-up to kernel_info_reply", t.startup.median, "ms", iqr(t.startup)));
  if (t.firstResult) figures.push(info("tslab", "start-up to first `1+1` result", t.firstResult.median, "ms", iqr(t.firstResult)));
  if (t.onePlusOne) figures.push(info("tslab", "`1+1`", t.onePlusOne.median, "ms", iqr(t.onePlusOne)));
  if (t.onePlusOneFresh) figures.push(info("tslab", "`1+1 // i`", t.onePlusOneFresh.median, "ms", iqr(t.onePlusOneFresh)));
  if (t.typedFunction) figures.push(info("tslab", "typed function cell", t.typedFunction.median, "ms", iqr(t.typedFunction)));
  // The same cells from a client at the wire (Session over pyzmq, as jupyter_server): less of the
  // client in each figure; the echo kernel's row is what the client and ZeroMQ still take.
  for (const [name, label] of [
    ["gradlab", "wire: gradlab"],
    ["tslab", "wire: tslab"],
    ["echo", "wire: echo"],
    ["ipykernel", "wire: ipykernel"],
  ] as const) {
    const w = stats[name]?.wire;
    if (w?.onePlusOne) figures.push(info(label, "`1+1`", w.onePlusOne.median, "ms", iqr(w.onePlusOne)));
    if (w?.onePlusOneFresh) figures.push(info(label, "`1+1 // i`", w.onePlusOneFresh.median, "ms", iqr(w.onePlusOneFresh)));
    if (w?.typedFunction) figures.push(info(label, "typed function cell", w.typedFunction.median, "ms", iqr(w.typedFunction)));
  }
  for (const [name, label] of [
    ["echo", "floor: echo"],
    ["ipykernel", "floor: ipykernel"],
  ] as const) {
    const f = stats[name];
    if (f?.startup) figures.push(info(label, "start-up to kernel_info_reply", f.startup.median, "ms", iqr(f.startup)));
    if (f?.onePlusOne) figures.push(info(label, "`1+1`", f.onePlusOne.median, "ms", iqr(f.onePlusOne)));
    if (f?.onePlusOneFresh) figures.push(info(label, "`1+1 // i`", f.onePlusOneFresh.median, "ms", iqr(f.onePlusOneFresh)));
    if (f?.typedFunction)
      figures.push(
        info(
          label,
          name === "echo" ? "typed function cell (not run)" : "typed function cell (Python def)",
          f.typedFunction.median,
          "ms",
          iqr(f.typedFunction),
        ),
      );
  }
  return figures;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
