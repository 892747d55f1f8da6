/** @file Reading, finding and writing nbformat v4 notebooks (deterministic JSON, as nbformat writes it). */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** One nbformat v4 output of a code cell. */
export type NotebookOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: string }
  | { output_type: "display_data"; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | {
      output_type: "execute_result";
      execution_count: number | null;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

/** An output that can carry a display id. */
export type RichOutput = Extract<NotebookOutput, { data: Record<string, unknown> }>;

/** The `{ename, evalue, traceback}` triple of a failed cell. */
export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** A notebook cell (nbformat v4). */
export interface Cell {
  cell_type: "code" | "markdown" | "raw";
  id?: string;
  source: string | string[];
  metadata: { tags?: string[]; [key: string]: unknown };
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  attachments?: Record<string, Record<string, string>>;
}

/** A notebook (nbformat v4). */
export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: {
    kernelspec?: { name?: string; display_name?: string; language?: string };
    language_info?: Record<string, unknown>;
    [key: string]: unknown;
  };
  cells: Cell[];
}

/** A notebook found on disk, with the path its outputs are written under. */
export interface NotebookFile {
  /** Absolute path of the source. */
  path: string;
  /** Path relative to the argument it was found under (the file's name for a file argument). */
  rel: string;
}

/**
 * The text of a cell's source (nbformat allows a string or a list of lines).
 *
 * @example
 * cellSource({ cell_type: "code", source: ["a\n", "b"], metadata: {} }); // "a\nb"
 */
export function cellSource(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * Parses a notebook file, checking the parts the runner relies on.
 *
 * @example
 * const nb = readNotebook("notebooks/01-logistic-regression.ipynb");
 */
export function readNotebook(path: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(readFileSync(path, "utf8")) as Notebook;
  } catch (e) {
    throw new Error(`read ${path}: expected notebook JSON, got ${(e as Error).message}`, { cause: e });
  }
  if (typeof nb !== "object" || nb === null || !Array.isArray(nb.cells)) {
    throw new Error(`read ${path}: expected an nbformat 4 notebook with a "cells" list, got ${nb === null ? "null" : typeof nb}`);
  }
  if (nb.nbformat !== 4) throw new Error(`read ${path}: expected nbformat 4, got ${String(nb.nbformat)}`);
  nb.metadata ??= {};
  for (const [i, cell] of nb.cells.entries()) {
    if (!["code", "markdown", "raw"].includes(cell?.cell_type)) {
      throw new Error(`read ${path}: cell ${i + 1}: expected cell_type code, markdown or raw, got ${String(cell?.cell_type)}`);
    }
    cell.metadata ??= {};
  }
  return nb;
}

/**
 * The kernel a notebook asks for in its metadata (default "gradlab").
 *
 * @example
 * kernelName({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }); // "gradlab"
 */
export function kernelName(nb: Notebook): string {
  return nb.metadata.kernelspec?.name || "gradlab";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, sortKeys(obj[k])]),
  );
}

/**
 * Serialises a notebook like nbformat: sorted keys, one-space indent, trailing newline.
 *
 * @example
 * notebookJson(nb); // '{\n "cells": [...'
 */
export function notebookJson(nb: Notebook): string {
  return `${JSON.stringify(sortKeys(nb), null, 1)}\n`;
}

/**
 * Expands files and folders into the notebooks to run (folders recursively, sorted, skipping
 * hidden folders such as .ipynb_checkpoints, node_modules and the `exclude` folders, e.g. the
 * output folder, so executed copies are never run again). `rel` is each notebook's path below the deepest
 * folder all arguments share, so outputs mirror the sources and never collide.
 *
 * @example
 * findNotebooks(["notebooks"]); // [{ path: "/repo/notebooks/00-start-here.ipynb", rel: "00-start-here.ipynb" }, ...]
 */
export function findNotebooks(args: string[], exclude: string[] = []): NotebookFile[] {
  const skip = new Set(exclude.map((d) => resolve(d)));
  const paths: string[] = [];
  const bases: string[] = [];
  for (const arg of args) {
    const root = resolve(arg);
    let st;
    try {
      st = statSync(root);
    } catch {
      throw new Error(`run: expected a notebook file or folder, got "${arg}" (not found)`);
    }
    if (st.isFile()) {
      if (!root.endsWith(".ipynb")) throw new Error(`run: expected an .ipynb file, got "${arg}"`);
      paths.push(root);
      bases.push(dirname(root));
      continue;
    }
    bases.push(root);
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir).sort()) {
        const p = join(dir, name);
        if (name.startsWith(".") || name === "node_modules" || skip.has(p)) continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith(".ipynb")) paths.push(p);
      }
    };
    walk(root);
  }
  const common = bases.reduce((a, b) => {
    while (a !== b && !b.startsWith(a.endsWith(sep) ? a : `${a}${sep}`)) a = dirname(a);
    return a;
  }, bases[0] ?? "");
  return [...new Set(paths)].map((path) => ({ path, rel: relative(common, path) }));
}
