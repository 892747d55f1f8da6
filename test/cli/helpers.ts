/** @file Shared helpers for the tests of the gradlab command: run the built CLI, copy fixtures to a scratch folder, read a grading's check.json. */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { StudentGrades } from "../../cli/homework/grade.js";

export const REPO = resolve(import.meta.dirname, "..", "..");
export const FIXTURES = join(REPO, "test", "cli", "fixtures");

/** The students of `gradlab check --out DIR`'s check.json, by submission file name. */
export function checkRows(out: string): Map<string, StudentGrades> {
  const json = JSON.parse(readFileSync(join(out, "check.json"), "utf8")) as { students: StudentGrades[] };
  return new Map(json.students.map((s) => [s.file, s]));
}

/** Result of one CLI invocation. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/gradlab.js ...args` (the built CLI, as `npm test` builds it first) and collects its output. */
export function gradlab(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  if (!existsSync(join(REPO, "dist", "cli", "main.js"))) {
    throw new Error("cli tests: dist/cli/main.js is missing; run `npm run build` first");
  }
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [join(REPO, "bin", "gradlab.js"), ...args], {
      cwd: opts.cwd ?? REPO,
      env: { ...process.env, CI: "1", ...opts.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => ok({ code, stdout, stderr }));
  });
}

/** A fresh scratch folder holding a copy of `test/cli/fixtures/<name>`. */
export function scratchCopy(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-runner-"));
  cpSync(join(FIXTURES, name), join(dir, name), { recursive: true });
  return dir;
}
