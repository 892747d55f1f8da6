/**
 * @file The shipped notebooks' cells compiled ahead: when the executor's startup snapshot is built
 * (snapshot.ts), every cell of the notebooks this package ships is compiled as a kernel running
 * the notebook from its top would compile it, and the conversions are kept in the snapshot. An
 * executor started from it takes a cell's conversion from there instead of type-checking the cell:
 * a fresh kernel's first compile (its program and checker) is most of its CPU before its first
 * result, which a class's kernels starting together share.
 *
 * A conversion is kept under the SHA-256 of the previous declarations and the cell's text
 * ({@link precompiledKey}), and only when those two decide it, whatever else the kernel did:
 * - the cell compiled without diagnostics (so no message, and no language, is in it);
 * - the cell, and every cell before it in its notebook, imports nothing but `gradlab` and
 *   `tslab` (no `require`, no `import()`, no reference directive), so it was checked against the
 *   compiler's lib and the declarations of this package and of tslab only.
 * An executor takes one only while that still holds, looked at on each lookup ({@link precompiledLookup}):
 * - it runs from the executor bundle the snapshot was built with (executor-bundle.ts), unchanged:
 *   the compiler code that made the conversions (the build makes them only from a current bundle);
 * - every declaration file the cells were checked against has the mtime it had then;
 * - the notebook's folder adds nothing to a cell's check: no `node_modules/@types` in it or in a
 *   folder above it (the compiler includes those packages, as tsc does) and no
 *   `node_modules/gradlab` or `node_modules/tslab` in it (imports would resolve there);
 * - the cells are compiled without interrupt checks (the Node host's way).
 * Otherwise the cell is compiled, as every cell is when it was not shipped or was edited (its key
 * differs, and so does every later cell's when its declarations do). test/kernel/precompiled.test.ts
 * compiles every kept conversion again in a fresh compiler in another folder and compares.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ConvertResult, Converter } from "../engine/compiler/index.js";
import type { Ts } from "../engine/compiler/state.js";
import type { PrecompiledCells, PrecompiledConversion } from "../engine/compiler/ts-loader.js";
import { DISPLAY_DECLARATIONS } from "../engine/display.js";
import { parseCell } from "../magics/parse.js";
import { PACKAGE_ROOT } from "../kernelspec.js";

/** What the snapshot is given: {@link PrecompiledCells} with its conversions as a list. */
export interface PrecompiledInput {
  bundle: [path: string, size: number, mtimeMs: number];
  files: [path: string, mtimeMs: number][];
  entries: [key: string, conversion: PrecompiledConversion][];
}

/** A conversion as the table keeps it: without its diagnostics (it has none), its declarations written against `prevDecl` (`PrecompiledConversion`). */
export function keptConversion(prevDecl: string, { declOutput, diagnostics: _, ...rest }: ConvertResult): PrecompiledConversion {
  if (declOutput === undefined) return rest;
  let head = 0;
  const most = Math.min(prevDecl.length, declOutput.length);
  while (head < most && prevDecl.charCodeAt(head) === declOutput.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < most - head && prevDecl.charCodeAt(prevDecl.length - 1 - tail) === declOutput.charCodeAt(declOutput.length - 1 - tail))
    tail++;
  return { ...rest, declHead: head, declBody: declOutput.slice(head, declOutput.length - tail), declTail: tail };
}

/** The conversion the table keeps as its argument, against the previous declarations `prevDecl` (those of its key). */
export function takenConversion(prevDecl: string, { declHead, declBody, declTail, ...rest }: PrecompiledConversion): ConvertResult {
  if (declBody === undefined) return { ...rest, diagnostics: [] };
  const declOutput = prevDecl.slice(0, declHead) + declBody + prevDecl.slice(prevDecl.length - declTail!);
  return { ...rest, declOutput, diagnostics: [] };
}

/** The modules a kept cell may import: both are this package's or tslab's, wherever the notebook is (host.ts). */
const OWN_MODULES = new Set(["gradlab", "tslab"]);

/**
 * A conversion's key: the SHA-256 of the previous declarations and the cell's text.
 *
 * @example
 * precompiledKey("", "1 + 1").length // 64
 */
export function precompiledKey(prevDecl: string, code: string): string {
  return createHash("sha256").update(prevDecl).update("\0").update(code).digest("hex");
}

/** The notebooks this package ships (package.json's `files`): the seminar's and the homework, in English and Russian. */
export function shippedNotebooks(root = PACKAGE_ROOT): string[] {
  const dirs = ["notebooks", "notebooks/ru", "notebooks/homework", "notebooks/homework/ru"].map((d) => join(root, d));
  return dirs.flatMap((d) => {
    try {
      return readdirSync(d)
        .filter((f) => f.endsWith(".ipynb"))
        .sort()
        .map((f) => join(d, f));
    } catch {
      return [];
    }
  });
}

/**
 * The TypeScript a notebook hands its executor, in order: each code cell's code segments
 * (magics/parse.ts), as the kernel runs them (kernel/engine/cell.ts); magic lines are left out.
 */
export function notebookCode(file: string): string[] {
  const nb = JSON.parse(readFileSync(file, "utf8")) as { cells?: { cell_type: string; source: string | string[] }[] };
  return (nb.cells ?? [])
    .filter((c) => c.cell_type === "code")
    .flatMap((c) => parseCell(Array.isArray(c.source) ? c.source.join("") : c.source))
    .flatMap((seg) => (seg.type === "code" ? [seg.code] : []));
}

/** Whether `code` imports only gradlab and tslab, and nothing in a way a parse cannot name (`require`, `import(...)`). */
export function importsOnlyOwnModules(ts: Ts, code: string): boolean {
  if (/\brequire\b|\bimport\s*\(/.test(code)) return false;
  const pre = ts.preProcessFile(code, true, true);
  return (
    pre.importedFiles.every((f) => OWN_MODULES.has(f.fileName)) &&
    pre.referencedFiles.length === 0 &&
    pre.typeReferenceDirectives.length === 0 &&
    pre.libReferenceDirectives.length === 0
  );
}

/**
 * Compiles each notebook's code with `conv` from the executor's first declarations on, as a
 * kernel running it from the top would (a cell that does not compile leaves the declarations as
 * they were), until a cell imports something else than gradlab or tslab; keeps the conversions
 * without diagnostics.
 */
export function precompile(
  ts: Ts,
  conv: Converter,
  notebooks: readonly string[],
  firstDecl = DISPLAY_DECLARATIONS,
): Omit<PrecompiledInput, "bundle"> {
  const entries = new Map<string, PrecompiledConversion>();
  for (const file of notebooks) {
    let prevDecl = firstDecl;
    for (const code of notebookCode(file)) {
      if (!importsOnlyOwnModules(ts, code)) break;
      const key = precompiledKey(prevDecl, code);
      const known = entries.get(key);
      const result = known ? takenConversion(prevDecl, known) : conv.convert(prevDecl, code);
      if (result.diagnostics.length > 0) continue;
      entries.set(key, known ?? keptConversion(prevDecl, result));
      prevDecl = result.declOutput || prevDecl;
    }
  }
  return { files: conv.inputs(), entries: [...entries] };
}

/**
 * Whether the notebook folder `cwd` leaves a cell's check as it is in a folder of its own: no
 * type roots (`node_modules/@types` here or above, as TypeScript's `getDefaultTypeRoots` looks
 * for them) and neither gradlab nor tslab installed in it.
 */
export function plainFolder(cwd: string): boolean {
  if (existsSync(join(cwd, "node_modules", "gradlab")) || existsSync(join(cwd, "node_modules", "tslab"))) return false;
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", "@types"))) return false;
    if (dirname(dir) === dir) return true;
  }
}

const mtimeOf = (path: string): number | undefined => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

/**
 * The executor's lookup in its snapshot's table, or undefined when it may use none: `table` is
 * the snapshot's (ts-loader.ts's `tsSnapshot`), `bundle` the URL of the bundle this executor runs
 * from (undefined when it runs from its modules). Each lookup looks at the bundle, the declaration
 * files and the folder again (a few hundred stats, well under a millisecond): a package installed
 * or a library built meanwhile counts.
 */
export function precompiledLookup(
  table: PrecompiledCells | undefined,
  bundle: string | undefined,
  cwd: string,
): ((prevDecl: string, code: string) => ConvertResult | undefined) | undefined {
  if (!table || !bundle) return undefined;
  const [path, size, mtimeMs] = table.bundle;
  if (fileURLToPath(bundle) !== path) return undefined;
  const unchanged = (): boolean =>
    statSync(path, { throwIfNoEntry: false })?.size === size &&
    mtimeOf(path) === mtimeMs &&
    table.files.every(([file, mtime]) => mtimeOf(file) === mtime);
  return (prevDecl, code) => {
    const hit = table.map.get(precompiledKey(prevDecl, code));
    if (!hit || !unchanged() || !plainFolder(cwd)) return undefined;
    table.hits++;
    return takenConversion(prevDecl, hit);
  };
}
