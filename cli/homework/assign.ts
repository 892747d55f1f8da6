/** @file `gradlab assign SOURCE.ipynb... --out DIR`: the student copies of homework sources (see homework.ts). */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "../args.js";
import { assignNotebook } from "./format.js";
import { findNotebooks, notebookJson, readNotebook } from "../notebook/notebook.js";

const USAGE = `usage: gradlab assign SOURCE.ipynb... --out DIR

Writes the student copy of each homework source notebook to DIR under the same file name:
every "// BEGIN SOLUTION" ... "// END SOLUTION" region becomes a stub that compiles and throws
"not answered yet", each manually graded answer (markdown tagged manual:<id>) becomes a
placeholder for the student's derivation, hidden checks (tag hidden-check:<id>), grader cells
(tag grader: the hints for typical mistakes) and source-only cells are removed, outputs are
cleared, cell ids are kept, and the instructor's cells are marked read-only with their checksum
(metadata.gradlab). A heading that would introduce only removed cells is an error (tag it
source-only). Folders are searched for .ipynb files.`;

/**
 * The student copy of the source at `path`, as the JSON text `gradlab assign` writes.
 *
 * @example
 * assignFile("notebooks/homework/source/02-logdet.ipynb"); // '{\n "cells": [...'
 */
export function assignFile(path: string): string {
  return notebookJson(assignNotebook(readNotebook(path), basename(path).replace(/\.ipynb$/, "")));
}

/**
 * `gradlab assign SOURCE... --out DIR`; resolves to 0, or 2 on bad usage or a malformed source.
 *
 * @example
 * await main(["notebooks/homework/source", "--out", "notebooks/homework"]);
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs("assign", argv, { out: "string", help: "boolean" });
    if (args.flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (args.paths.length === 0) throw new Error("assign: expected source notebooks or folders, got none");
    if (args.flags.out === undefined) throw new Error("assign: expected --out DIR (where the student copies go)");
    const out = resolve(String(args.flags.out));
    const files = findNotebooks(args.paths, [out]);
    if (files.length === 0) throw new Error(`assign: no .ipynb files found in ${args.paths.join(", ")}`);
    for (const f of files) {
      if (resolve(dirname(join(out, f.rel))) === dirname(f.path))
        throw new Error(`assign: --out ${args.flags.out} would overwrite the source ${f.path}; choose another folder`);
    }
    const copies = files.map((f) => [join(out, f.rel), assignFile(f.path)] as const);
    for (const [target, text] of copies) {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
      console.log(`assign: wrote ${target}`);
    }
    return 0;
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
}
