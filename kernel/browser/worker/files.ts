/**
 * @file The files the cell compiler reads, in the browser: a pack built by `npm run site`
 * (scripts/build-site.mjs) from exactly the files the compiler reads in Node for a notebook that
 * imports `gradlab` and `tslab` (the lib declarations, `@types/node`, gradlab's own declarations),
 * named by their path in the package, and mounted under {@link PACKAGE_ROOT}. Every file is
 * fixed: its mtime is 0, so the compiler never finds one changed.
 */

/** Where the package's files are, in the worker (package.json, dist/src/**, node_modules/**). */
export const PACKAGE_ROOT = "/gradlab";

/** Where notebooks are: the compiler's working directory. */
export const NOTEBOOK_DIR = "/notebooks";

const files = new Map<string, string>();
const dirs = new Set<string>();

/** Mounts the pack ({ path in the package: text }). */
export function mountFiles(pack: Record<string, string>): void {
  for (const [rel, text] of Object.entries(pack)) {
    const path = `${PACKAGE_ROOT}/${rel}`;
    files.set(path, text);
    for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) dirs.add(path.slice(0, i));
  }
  dirs.add(NOTEBOOK_DIR);
}

const norm = (p: string): string => (p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p);

/** The text of a file, or undefined. */
export function readFile(path: string): string | undefined {
  return files.get(norm(path));
}

export function fileExists(path: string): boolean {
  return files.has(norm(path));
}

export function directoryExists(path: string): boolean {
  return dirs.has(norm(path)) || path === "/";
}

/** The folders directly in `path`. */
export function directories(path: string): string[] {
  const prefix = norm(path) + "/";
  const out = new Set<string>();
  for (const d of dirs) if (d.startsWith(prefix) && !d.slice(prefix.length).includes("/")) out.add(d.slice(prefix.length));
  return [...out];
}
