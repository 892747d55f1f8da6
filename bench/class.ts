/**
 * @file `npm run bench:class -- --students N`: a class on one server at 9:00. Debian's JupyterHub
 * (test/support/jupyterhub.ts: dummy authenticator, simple local-process spawner, Debian's proxy
 * and classic notebook servers, gradlab's kernelspec installed with `--prefix`) gets N users; at
 * the storm's start every student's server is spawned, a gradlab kernel started on it through the
 * hub's proxy and notebook 04 run top to bottom (as `gradlab run --server` does, stopping at the
 * first failing cell; the notebook's own checks make a wrong result fail), all at once.
 *
 * Reports: the machine's speed before anything starts (the CPU time of a fixed loop, `fixedLoopMs`
 * in bench/timing.ts: runs hours apart compare through it); the time from the storm's start until
 * each student's server is up, their kernel answers kernel_info, their first cell has its result
 * and their notebook is done (median and slowest); the latency of a typed cell in one more
 * student's kernel, started before the storm, sent 250 ms after the last one's reply, during the
 * storm and 40 times after it (p50, p95); the memory of each student (RSS and PSS of their notebook
 * server and kernel processes, read from /proc once every notebook is done, kernels still open),
 * the hub's and the proxy's, and the total; the failures; the processes left once the hub is
 * stopped; the CPU seconds (from /proc, which the machine's load does not change) of each student's
 * processes by role when their server was up, their kernel answered and their first result came
 * (medians), and of every process by role (hub, proxy, servers, kernels, executors, this process's
 * clients) until the last first result and over the storm: their sum over the cores bounds the
 * slowest first result from below; and this process's own reads of /proc. Writes
 * out/bench/class.json, and beside it class.hub.log: the output of the hub, the proxy and every
 * student's server and kernel.
 *
 *   npm run build && node dist/bench/class.js [--students 40] [--mem-limit 2G] [--run-nice N] [--out FILE]
 *
 * `--mem-limit` is the spawner's mem_limit, which sets each executor's heap (a quarter of it, at
 * most 4 GB) and so which startup snapshot the executor needs: the kernelspec is installed with
 * `gradlab install --mem-limit`, which builds it, as the instructors' guide says. `--run-nice` is
 * `GRADLAB_RUN_NICE` in the spawner's environment (kernel/protocol/priority.ts; unset: the kernel's
 * default under JupyterHub).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { serverSessions } from "../cli/client/server-sessions.js";
import type { KernelSession, SessionFactory } from "../cli/client/sessions.js";
import { main as installKernelspec } from "../cli/install/install.js";
import { readNotebook } from "../cli/notebook/notebook.js";
import { executeNotebook } from "../cli/run/execute.js";
import { cmdlineOf, environOf, removeHubDir, rssBytes, startHub, type Hub } from "../test/support/jupyterhub.js";
import { tagged } from "../test/support/procs.js";
import { fmt, machineInfo, writeJson } from "./report.js";
import { ProcCpu, type Role } from "./proc-cpu.js";
import { fixedLoopMs, quantile } from "./timing.js";

const REPO = resolve(import.meta.dirname, "..", "..");
const NOTEBOOK = "04-backprop.ipynb";
const CELL_TIMEOUT_MS = 600_000;
/** The typed cell the probe student sends: a type-checked function called at once (no new notebook names, so every one costs the same). */
const typedCell = (i: number): string => `((v: number): number => v * 2 + ${i})(${i})`;

/** One student's storm, in milliseconds from its start. */
interface Student {
  user: string;
  serverReadyMs?: number;
  kernelReadyMs?: number;
  firstResultMs?: number;
  notebookDoneMs?: number;
  cells: number;
  failures: string[];
  rssMb?: number;
  pssMb?: number;
  /** CPU seconds of the student's processes by role when their server was up, their kernel answered, their first result came. */
  cpuAtServer?: Partial<Record<Role, number>>;
  cpuAtKernel?: Partial<Record<Role, number>>;
  cpuAtFirstResult?: Partial<Record<Role, number>>;
}

function parseFlags(argv: string[]): { students: number; memLimit: string; runNice?: string; out: string } {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("--") || argv[i + 1] === undefined) throw new Error(`bench:class: expected --name value pairs, got "${a}"`);
    flags[a.slice(2)] = argv[++i]!;
  }
  const students = Number(flags.students ?? 40);
  if (!Number.isInteger(students) || students < 1)
    throw new Error(`bench:class: --students expects a positive integer, got ${flags.students}`);
  return {
    students,
    memLimit: flags["mem-limit"] ?? "2G",
    ...(flags["run-nice"] !== undefined ? { runNice: flags["run-nice"] } : {}),
    out: flags.out ?? join(REPO, "out", "bench", "class.json"),
  };
}

/** PSS (bytes) of a process from /proc/PID/smaps_rollup, or 0 when it is gone. */
function pssBytes(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const MB = 2 ** 20;

/** One student: their server, their kernel through the proxy, notebook 04 top to bottom. */
async function storm(
  hub: Hub,
  user: string,
  token: string,
  t0: number,
  s: Student,
  sessions: KernelSession[],
  factories: SessionFactory[],
  cpu: ProcCpu,
  onFirstResult: () => void,
): Promise<void> {
  const since = () => performance.now() - t0;
  // (The student's processes started since the last full scan are found first: userNow reads only known ones.)
  const cpuNow = () => {
    cpu.scan(true);
    return cpu.userNow(user);
  };
  try {
    await hub.startServer(user);
    s.serverReadyMs = since();
    s.cpuAtServer = cpuNow();
    const home = hub.home(user);
    const path = join(home, "seminar", NOTEBOOK);
    const factory = serverSessions(hub.serverUrl(user), token, home);
    factories.push(factory);
    const session = await factory.start("gradlab", join(home, "seminar"), { path, language: "en" });
    sessions.push(session);
    s.kernelReadyMs = since();
    s.cpuAtKernel = cpuNow();
    const nb = readNotebook(path);
    let cellsRun = 0;
    const { runs, failures } = await executeNotebook(nb, session, {
      timeoutMs: CELL_TIMEOUT_MS,
      stopOnError: true,
      onCell: () => {
        // A cell starts once the one before it has its reply: the second start is the first result.
        if (++cellsRun === 2) {
          s.firstResultMs = since();
          s.cpuAtFirstResult = cpuNow();
          onFirstResult();
        }
      },
    });
    s.notebookDoneMs = since();
    s.firstResultMs ??= s.notebookDoneMs;
    s.cells = runs.length;
    s.failures = failures.map((f) => `cell ${f.cell}${f.id ? ` (${f.id})` : ""}: ${f.error?.ename}: ${f.error?.evalue}`);
  } catch (e) {
    s.failures.push((e as Error).message.split("\n")[0]!);
  }
}

async function main(): Promise<void> {
  const { students, memLimit, runNice, out } = parseFlags(process.argv.slice(2));
  // @jupyterlab/services logs every WebSocket it opens with console.debug, and says so on
  // console.error for each widget comm the kernel opens (the runner keeps widget state from the
  // messages themselves and registers no comm targets).
  console.debug = () => {};
  const error = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    if (args[0] !== "Exception opening new comm") error(...args);
  };
  const machine = machineInfo();
  // The machine's speed before anything of the class runs: the same work in every run (the
  // class's CPU moves with it from hour to hour; compare runs through it).
  const loopMs = fixedLoopMs();
  console.log(
    `bench:class: ${students} students, mem_limit ${memLimit}, GRADLAB_RUN_NICE ${runNice ?? "unset"}, ${machine.cores} cores, load ${machine.loadavg.map(fmt).join(" ")}, a fixed loop ${fmt(loopMs)} ms of CPU`,
  );
  const users = Array.from({ length: students }, (_, i) => `student${String(i + 1).padStart(2, "0")}`);
  const probeUser = "probe";
  const hub = await startHub({
    memLimit,
    startTimeout: 900,
    ...(runNice !== undefined ? { env: { GRADLAB_RUN_NICE: runNice } } : {}),
    prepare: async (dir) => {
      // --mem-limit: the executor's snapshot for the spawner's mem_limit, as the instructors' guide says to install.
      const code = await installKernelspec(["--prefix", join(dir, "prefix"), "--mem-limit", memLimit]);
      if (code !== 0) throw new Error("bench:class: gradlab install --prefix failed");
    },
  });
  const sessions: KernelSession[] = [];
  // Each factory polls its server until disposed, which would keep this process alive.
  const factories: SessionFactory[] = [];
  let left: string[];
  const result: Record<string, unknown> = {
    machine,
    fixedLoopMs: loopMs,
    students,
    memLimit,
    runNice: runNice ?? null,
    notebook: NOTEBOOK,
  };
  try {
    await hub.addUsers([...users, probeUser]);
    const tokens = new Map<string, string>();
    for (const user of [...users, probeUser]) {
      tokens.set(user, await hub.userToken(user));
      mkdirSync(join(hub.home(user), "seminar"), { recursive: true });
      copyFileSync(join(REPO, "notebooks", NOTEBOOK), join(hub.home(user), "seminar", NOTEBOOK));
    }

    // The probe student is already working when the class arrives.
    await hub.startServer(probeUser);
    const probeFactory = serverSessions(hub.serverUrl(probeUser), tokens.get(probeUser)!, hub.home(probeUser));
    factories.push(probeFactory);
    const probe = await probeFactory.start("gradlab", hub.home(probeUser));
    sessions.push(probe);
    let sent = 0;
    const timeCell = async (): Promise<number> => {
      const t = performance.now();
      const r = await probe.execute(typedCell(++sent), { timeoutMs: CELL_TIMEOUT_MS });
      if (r.status !== "ok") throw new Error(`bench:class: the probe's typed cell failed: ${JSON.stringify(r.error)}`);
      return performance.now() - t;
    };
    for (let i = 0; i < 5; i++) await timeCell(); // warm: its first cells compile the checker

    console.log(`bench:class: storm: ${students} servers, kernels and notebooks at once`);
    // CPU from /proc: the class's processes by role (the probe's apart), and this process (the
    // students' clients: their HTTP and WebSocket requests, which a real class runs in browsers elsewhere).
    const cpu = new ProcCpu(hub.tag);
    cpu.scan();
    const baseRoles = cpu.byRole([probeUser]);
    const benchBase = process.cpuUsage();
    const cpuSince = () => {
      cpu.scan();
      const roles = cpu.byRole([probeUser]);
      const b = process.cpuUsage(benchBase);
      const out: Record<string, number> = {};
      for (const [role, sec] of Object.entries(roles)) out[role] = sec - (baseRoles[role as Role] ?? 0);
      out.bench = (b.user + b.system) / 1e6 - cpu.overhead;
      out.all = Object.values(out).reduce((a, x) => a + x, 0);
      return out;
    };
    let firstResults = 0;
    let cpuToLastFirst: Record<string, number> | undefined;
    const scanning = setInterval(() => cpu.scan(), 500);
    const t0 = performance.now();
    const rows: Student[] = users.map((user) => ({ user, cells: 0, failures: [] }));
    let stormOver = false;
    const during: number[] = [];
    let probeError: Error | undefined;
    const probing = (async () => {
      while (!stormOver) {
        during.push(await timeCell());
        await new Promise((r) => setTimeout(r, 250));
      }
    })().catch((e: Error) => (probeError = e));
    await Promise.all(
      users.map((user, i) =>
        storm(hub, user, tokens.get(user)!, t0, rows[i]!, sessions, factories, cpu, () => {
          if (++firstResults === students) cpuToLastFirst = cpuSince();
        }),
      ),
    );
    const stormMs = performance.now() - t0;
    clearInterval(scanning);
    const cpuStorm = cpuSince();
    stormOver = true;
    await probing;
    if (probeError) throw probeError;
    const after: number[] = [];
    for (let i = 0; i < 40; i++) {
      after.push(await timeCell());
      await new Promise((r) => setTimeout(r, 250));
    }

    // Memory with every kernel still open: each student's server and kernel processes.
    const procs = tagged(hub.tag);
    for (const row of rows) {
      const mine = procs.filter((p) => environOf(p, "JUPYTERHUB_USER") === row.user);
      row.rssMb = mine.reduce((a, p) => a + rssBytes(p), 0) / MB;
      row.pssMb = mine.reduce((a, p) => a + pssBytes(p), 0) / MB;
    }
    const infra = procs.filter((p) => environOf(p, "JUPYTERHUB_USER") === undefined);
    const hubRss = infra.reduce((a, p) => a + rssBytes(p), 0) / MB;
    const hubPss = infra.reduce((a, p) => a + pssBytes(p), 0) / MB;
    const allPss = procs.reduce((a, p) => a + pssBytes(p), 0) / MB;
    // One student's processes, to see where their memory sits (server, kernel's protocol process, executor).
    const perStudentProcesses = procs
      .filter((p) => environOf(p, "JUPYTERHUB_USER") === users[0])
      .map((p) => ({ command: cmdlineOf(p).slice(0, 160), rssMb: rssBytes(p) / MB, pssMb: pssBytes(p) / MB }));

    await Promise.all(sessions.map((s) => s.close()));

    const done = rows.filter((r) => r.failures.length === 0 && r.notebookDoneMs !== undefined);
    const pick = <T>(f: (r: Student) => T | undefined) => rows.map(f).filter((x): x is T => x !== undefined);
    const medians = (xs: Partial<Record<Role, number>>[]): Record<string, number> => {
      const roles = [...new Set(xs.flatMap((x) => Object.keys(x)))] as Role[];
      const out: Record<string, number> = {};
      for (const role of roles)
        out[role] = quantile(
          xs.map((x) => x[role] ?? 0),
          0.5,
        );
      out.all = quantile(
        xs.map((x) => Object.values(x).reduce((a, v) => a + v, 0)),
        0.5,
      );
      return out;
    };
    const stats = (xs: number[]) => (xs.length === 0 ? null : { p50: quantile(xs, 0.5), max: Math.max(...xs) });
    Object.assign(result, {
      stormMs,
      complete: done.length,
      failures: rows.flatMap((r) => r.failures.map((f) => `${r.user}: ${f}`)),
      serverReadyMs: stats(pick((r) => r.serverReadyMs)),
      kernelReadyMs: stats(pick((r) => r.kernelReadyMs)),
      firstResultMs: stats(pick((r) => r.firstResultMs)),
      notebookDoneMs: stats(pick((r) => r.notebookDoneMs)),
      typedCellMs: {
        during: during.length ? { n: during.length, p50: quantile(during, 0.5), p95: quantile(during, 0.95) } : null,
        after: { n: after.length, p50: quantile(after, 0.5), p95: quantile(after, 0.95) },
      },
      memoryMb: {
        perStudentRss: stats(pick((r) => r.rssMb)),
        perStudentPss: stats(pick((r) => r.pssMb)),
        studentsPss: pick((r) => r.pssMb).reduce((a, b) => a + b, 0),
        hubAndProxyRss: hubRss,
        hubAndProxyPss: hubPss,
        allPss,
      },
      perStudentProcesses,
      cpuSeconds: {
        perStudent: {
          atServerUp: medians(pick((r) => r.cpuAtServer)),
          atKernelReady: medians(pick((r) => r.cpuAtKernel)),
          atFirstResult: medians(pick((r) => r.cpuAtFirstResult)),
        },
        toLastFirstResult: cpuToLastFirst,
        storm: cpuStorm,
        // This process's reads of /proc (left out of "bench" above), which the class's processes wait for too.
        scans: cpu.overhead,
        cores: machine.cores,
      },
      rows,
    });
  } finally {
    for (const f of factories) f.dispose();
    left = await hub.stop();
    result.processesLeft = left;
    // The hub's output, with every student's server's (the spawner passes its own on): what a failure left behind.
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out.replace(/\.json$/, "") + ".hub.log", hub.log());
    removeHubDir(hub.dir);
  }
  writeJson(out, result);

  const r = result as {
    complete: number;
    failures: string[];
    stormMs: number;
    serverReadyMs: { p50: number; max: number } | null;
    kernelReadyMs: { p50: number; max: number } | null;
    firstResultMs: { p50: number; max: number } | null;
    notebookDoneMs: { p50: number; max: number } | null;
    typedCellMs: { during: { n: number; p50: number; p95: number } | null; after: { n: number; p50: number; p95: number } };
    cpuSeconds?: {
      perStudent: { atServerUp: Record<string, number>; atKernelReady: Record<string, number>; atFirstResult: Record<string, number> };
      toLastFirstResult?: Record<string, number>;
      storm: Record<string, number>;
      scans: number;
    };
    memoryMb: {
      perStudentRss: { p50: number; max: number } | null;
      perStudentPss: { p50: number; max: number } | null;
      studentsPss: number;
      hubAndProxyRss: number;
      allPss: number;
    };
  };
  const cpuText = (x: Record<string, number> | undefined) =>
    x
      ? Object.entries(x)
          .map(([k, v]) => `${k} ${fmt(v)}`)
          .join(", ") + " s"
      : "-";
  const s = (x: { p50: number; max: number } | null, div = 1000, unit = "s", most = "slowest") =>
    x ? `median ${fmt(x.p50 / div)} ${unit}, ${most} ${fmt(x.max / div)} ${unit}` : "-";
  console.log(
    [
      `notebooks complete       ${r.complete} of ${students} (target: all), failures ${r.failures.length} (target 0)`,
      `server up                ${s(r.serverReadyMs)}`,
      `kernel answers           ${s(r.kernelReadyMs)}`,
      `first cell's result      ${s(r.firstResultMs)} (target: slowest <= 30 s)`,
      `whole notebook           ${s(r.notebookDoneMs)}`,
      `typed cell, during storm ${r.typedCellMs.during ? `p50 ${fmt(r.typedCellMs.during.p50)} ms, p95 ${fmt(r.typedCellMs.during.p95)} ms (${r.typedCellMs.during.n} cells)` : "-"}`,
      `typed cell, after        p50 ${fmt(r.typedCellMs.after.p50)} ms, p95 ${fmt(r.typedCellMs.after.p95)} ms (${r.typedCellMs.after.n} cells)`,
      `memory per student       RSS ${s(r.memoryMb.perStudentRss, 1, "MB", "largest")}; PSS ${s(r.memoryMb.perStudentPss, 1, "MB", "largest")}`,
      `memory in all (PSS)      students ${fmt(r.memoryMb.studentsPss)} MB, hub and proxy RSS ${fmt(r.memoryMb.hubAndProxyRss)} MB, every process ${fmt(r.memoryMb.allPss)} MB`,
      `CPU per student (median) server up: ${cpuText(r.cpuSeconds?.perStudent.atServerUp)}`,
      `                         kernel answers: ${cpuText(r.cpuSeconds?.perStudent.atKernelReady)}`,
      `                         first result: ${cpuText(r.cpuSeconds?.perStudent.atFirstResult)}`,
      `CPU to the last first result, all: ${cpuText(r.cpuSeconds?.toLastFirstResult)}`,
      `  / ${machine.cores} cores = ${r.cpuSeconds?.toLastFirstResult ? fmt(r.cpuSeconds.toLastFirstResult.all! / machine.cores) : "-"} s (a lower bound on the slowest first result)`,
      `CPU of the whole storm:   ${cpuText(r.cpuSeconds?.storm)}; this benchmark's reads of /proc ${r.cpuSeconds ? fmt(r.cpuSeconds.scans) : "-"} s`,
      `processes left           ${left.length} (target 0)`,
      ...r.failures.slice(0, 10).map((f) => `  failed: ${f}`),
      ...left.map((l) => `  left: ${l}`),
      `written to ${out}`,
    ].join("\n"),
  );
  if (r.failures.length > 0 || left.length > 0) process.exitCode = 1;
}

main().catch((e: Error) => {
  console.error(e.stack ?? e.message);
  process.exitCode = 1;
});
