/**
 * @file Class-scale grading: 100 generated submissions over the six assignments (right,
 * blank, half done, tampered checks, redefined checker) graded with `gradlab check --source
 * --concurrency 2`, once on embedded kernels and once through `--server` on Debian's Jupyter
 * notebook server. Prints submissions per minute for both, verifies every grade against what the
 * submission is (a benchmark of wrong grades is worthless), and that the server has no kernel or
 * session left afterwards. JSON in out/bench/homework-class.json.
 *
 *   npm run build && node dist/bench/homework-class.js [--count 100] [--concurrency 2] [--skip-server]
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { assignNotebook } from "../cli/homework/format.js";
import { notebookJson, readNotebook, type Cell, type Notebook } from "../cli/notebook/notebook.js";
import { startJupyterServer } from "../test/support/jupyter-server.js";

const REPO = resolve(import.meta.dirname, "..", "..");
const SOURCE = join(REPO, "notebooks", "homework", "source");
const KINDS = ["right", "blank", "half", "tampered-checks", "redefined-checker"] as const;
type Kind = (typeof KINDS)[number];

const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);
const unwrap = (s: string): string => s.replace(/^[ \t]*\/\/ (BEGIN|END) SOLUTION.*\n/gm, "");

/** One submission of the given kind, from the assignment's source and its student copy. */
function submission(kind: Kind, source: Notebook, copy: Notebook): Notebook {
  const nb = structuredClone(copy);
  const answers = source.cells.filter((c) => /\/\/ BEGIN SOLUTION/.test(text(c)));
  const solve = (ids: Set<string>) => {
    for (const c of nb.cells) if (c.id && ids.has(c.id)) c.source = unwrap(text(source.cells.find((s) => s.id === c.id)!));
  };
  if (kind === "right") solve(new Set(answers.map((c) => c.id!)));
  if (kind === "half") solve(new Set(answers.slice(0, Math.ceil(answers.length / 2)).map((c) => c.id!)));
  if (kind === "tampered-checks")
    for (const c of nb.cells) if ((c.metadata.tags ?? []).some((t) => String(t).startsWith("check:"))) c.source = "1;";
  if (kind === "redefined-checker") {
    const at = nb.cells.findIndex((c) => (c.metadata.tags ?? []).includes("setup"));
    nb.cells.splice(at + 2, 0, {
      cell_type: "code",
      id: "student-fake",
      metadata: {},
      outputs: [],
      execution_count: null,
      source: "const hw = { gradient() {}, hessian() {}, value() {}, choice() {} };",
    });
  }
  return nb;
}

interface Row {
  file: string;
  score?: number;
  maxScore?: number;
  fatal?: string;
}

/** Checks each row against its kind: right = full marks; blank, tampered, redefined = 0; half in between. */
function verify(rows: Row[]): string[] {
  const wrong: string[] = [];
  for (const r of rows) {
    const kind = KINDS.find((k) => r.file.includes(`-${k}-`))!;
    const ok =
      !r.fatal && (kind === "right" ? r.score === r.maxScore : kind === "half" ? r.score! > 0 && r.score! < r.maxScore! : r.score === 0);
    if (!ok) wrong.push(`${r.file}: ${kind} got ${r.fatal ?? `${r.score}/${r.maxScore}`}`);
  }
  return wrong;
}

/** Runs `gradlab install --prefix dir`: the kernelspec a server started in `dir` finds. */
function installKernelSpec(dir: string): void {
  const inst = spawnSync(process.execPath, [join(REPO, "bin", "gradlab.js"), "install", "--prefix", dir], { encoding: "utf8" });
  if (inst.status !== 0) throw new Error(`gradlab install --prefix failed: ${inst.stderr}`);
}

async function listed(url: string, token: string, what: "sessions" | "kernels"): Promise<unknown[]> {
  const r = await fetch(`${url}api/${what}`, { headers: { Authorization: `token ${token}` } });
  return (await r.json()) as unknown[];
}

function grade(
  subs: string,
  out: string,
  concurrency: number,
  extra: string[],
): { seconds: number; rows: Row[]; code: number | null; stderr: string } {
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      join(REPO, "bin", "gradlab.js"),
      "check",
      "--source",
      SOURCE,
      subs,
      "--out",
      out,
      "--concurrency",
      String(concurrency),
      "--timeout",
      "60",
      ...extra,
    ],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const rows = (JSON.parse(readFileSync(join(out, "check.json"), "utf8")) as { students: Row[] }).students;
  return { seconds, rows, code: r.status, stderr: r.stderr };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const flag = (name: string, dflt: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const count = flag("count", 100);
  const concurrency = flag("concurrency", 2);
  const dir = mkdtempSync(join(tmpdir(), "gradlab-class-"));
  const subs = join(dir, "root", "submissions");
  mkdirSync(subs, { recursive: true });
  const names = readdirSync(SOURCE)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  const sources = names.map((f) => readNotebook(join(SOURCE, f)));
  const copies = names.map((f, i) => assignNotebook(sources[i]!, f.replace(/\.ipynb$/, "")));
  for (let k = 0; k < count; k++) {
    const a = k % names.length;
    const kind = KINDS[Math.floor(k / names.length) % KINDS.length]!;
    writeFileSync(
      join(subs, `s${String(k).padStart(3, "0")}-${kind}-${names[a]}`),
      notebookJson(submission(kind, sources[a]!, copies[a]!)),
    );
  }
  console.log(`${count} submissions (${KINDS.join(", ")}) over ${names.length} assignments in ${subs}`);
  const result: Record<string, unknown> = { count, concurrency, cpus: (await import("node:os")).cpus().length };

  const emb = grade(subs, join(dir, "grades-embedded"), concurrency, []);
  const embWrong = verify(emb.rows);
  result.embedded = { seconds: emb.seconds, perMinute: (60 * count) / emb.seconds, wrongGrades: embWrong };
  console.log(
    `embedded: ${count} graded in ${emb.seconds.toFixed(1)} s = ${((60 * count) / emb.seconds).toFixed(1)} submissions/minute; wrong grades: ${embWrong.length}`,
  );
  for (const w of embWrong.slice(0, 10)) console.log(`  ${w}`);

  if (!argv.includes("--skip-server")) {
    const server = await startJupyterServer(installKernelSpec, [], dir);
    try {
      const before = {
        sessions: (await listed(server.url, server.token, "sessions")).length,
        kernels: (await listed(server.url, server.token, "kernels")).length,
      };
      const srv = grade(subs, join(dir, "grades-server"), concurrency, [
        "--server",
        server.url,
        "--token",
        server.token,
        "--server-root",
        join(dir, "root"),
      ]);
      const after = {
        sessions: (await listed(server.url, server.token, "sessions")).length,
        kernels: (await listed(server.url, server.token, "kernels")).length,
      };
      const srvWrong = verify(srv.rows);
      result.server = { seconds: srv.seconds, perMinute: (60 * count) / srv.seconds, wrongGrades: srvWrong, before, after };
      console.log(
        `server:   ${count} graded in ${srv.seconds.toFixed(1)} s = ${((60 * count) / srv.seconds).toFixed(1)} submissions/minute; wrong grades: ${srvWrong.length}`,
      );
      console.log(`server sessions/kernels before: ${before.sessions}/${before.kernels}, after: ${after.sessions}/${after.kernels}`);
      for (const w of srvWrong.slice(0, 10)) console.log(`  ${w}`);
    } finally {
      await server.stop();
    }
  }
  const outDir = join(REPO, "out", "bench");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "homework-class.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${join(outDir, "homework-class.json")}`);
}

await main();
