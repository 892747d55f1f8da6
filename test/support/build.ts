/**
 * @file Whether dist/ holds the current build. Tests that run the built package, kernel or CLI
 * check it and fail on a stale or missing build; they never build it themselves (`npm test`
 * builds first; alone, run `npm run build`).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

/** The repository root. */
export const REPO = resolve(import.meta.dirname, "..", "..");

/** The message of a failed check; the reason (which file) follows it. */
export const STALE_BUILD = "dist/ is older than the sources: run npm run build";

/** What `npm run build` makes of a source: tsc's .js for .ts, build-wasm's .wasm for .wat. */
function outputOf(source: string): string | undefined {
  if (source.endsWith(".d.ts")) return undefined;
  if (source.endsWith(".ts")) return source.slice(0, -".ts".length) + ".js";
  if (source.endsWith(".wat")) return source.slice(0, -".wat".length) + ".wasm";
  return undefined;
}

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (outputOf(e.name) !== undefined) yield p;
  }
}

/**
 * The first source the build misses or is older than, as "src/x.ts (dist/src/x.js is missing)",
 * or undefined when dist/ is current. The sources are every .ts and .wat under `folders` (by
 * default every folder tsconfig.json includes, less what it excludes); each must have its output in the outDir
 * written no earlier than itself.
 *
 * @example
 * staleBuild() // undefined right after `npm run build`
 * staleBuild(["src"]) // only the library
 */
export function staleBuild(folders?: readonly string[], repo = REPO): string | undefined {
  const config = JSON.parse(readFileSync(join(repo, "tsconfig.json"), "utf8")) as {
    include: string[];
    exclude?: string[];
    compilerOptions: { outDir: string };
  };
  const excluded = (config.exclude ?? []).map((f) => join(repo, f));
  const outDir = join(repo, config.compilerOptions.outDir);
  for (const folder of folders ?? config.include) {
    for (const source of sources(join(repo, folder))) {
      if (excluded.some((e) => source === e || source.startsWith(e + sep))) continue;
      const rel = relative(repo, source);
      const output = join(outDir, outputOf(rel)!);
      const shown = relative(repo, output);
      if (!existsSync(output)) return `${rel} (${shown} is missing)`;
      if (statSync(output).mtimeMs < statSync(source).mtimeMs) return `${rel} (newer than ${shown})`;
    }
  }
  return undefined;
}

/**
 * Throws `STALE_BUILD` and the first stale source unless dist/ is current for `folders` (by
 * default everything the build compiles).
 *
 * @example
 * beforeAll(() => assertBuilt(["src"]));
 */
export function assertBuilt(folders?: readonly string[], repo = REPO): void {
  const stale = staleBuild(folders, repo);
  if (stale !== undefined) throw new Error(`${STALE_BUILD}: ${stale}`);
}
