/**
 * @file The executor's V8 startup snapshot: a heap in which the TypeScript compiler is loaded and
 * the lib declarations are parsed and bound (snapshot-entry.cts), so an executor started with
 * `--snapshot-blob` skips most of its start-up (loading the 8 MB compiler, parsing and binding the
 * declarations). `@types/node` is not in it: cells are checked without it until one needs it
 * (node-types.ts; the snapshot holds what tells).
 *
 * Node loads a snapshot only into the Node binary and V8 flags it was built with (any other flag,
 * `--max-old-space-size` included, and it exits at once), so a snapshot is named by a key of the
 * Node version, the flags, and the files it was built from; the kernel passes `--snapshot-blob`
 * only when one of that key exists (`findSnapshot`, snapshot-blob.ts), and starts the executor without it when it
 * exits before it is ready (kernel/protocol/host.ts). The parsed files are checked against the
 * files' mtimes when used (host.ts), the compiler's file by its size and mtime (ts-loader.ts).
 *
 * `npm run build` builds the snapshot for the flags the kernel uses on this machine
 * (scripts/build-snapshot.mjs, which also takes the flags to build for); a kernel with other flags
 * (another memory limit) starts without one and has one built in the background (snapshot-blob.ts).
 *
 * Finding a snapshot is snapshot-blob.ts's: the protocol process imports nothing of the compiler.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as TS from "@tslab/typescript-for-tslab";
import type { NodeTriggers } from "../engine/compiler/node-types.js";
import { BUILT_DIR, buildingName, commitSnapshot, ENTRY, LIBRARY_DECLARATIONS, snapshotName } from "./snapshot-blob.js";
import { BUNDLE, bundleIsCurrent } from "./executor-bundle.js";
import { plainFolder, precompile, shippedNotebooks, type PrecompiledInput } from "./precompiled.js";

/** What snapshot-entry.cts is given (it declares the same shape). */
export interface SnapshotInput {
  tsFile: string;
  /** The file whose source is run as the module tsFile (ts-loader.ts's compilerSource). */
  tsSource: string;
  options: TS.CompilerOptions;
  /** A folder (need not exist) for the root file of the program that finds the declarations. */
  dir: string;
  /** The library's declarations (dist/src/index.d.ts), parsed with every file they import. */
  library: string;
  /** Kept in the snapshot as they are (computed by the build: the snapshot holds no `@types/node`). */
  nodeTriggers: NodeTriggers;
  /** The cells of `notebooks` compiled (precompiled.ts), when the executor bundle is current. */
  precompiled?: PrecompiledInput;
}

const require = createRequire(import.meta.url);

export { findSnapshot, snapshotName } from "./snapshot-blob.js";

/**
 * Builds the snapshot for `flags` (about 3 s of CPU, and about as much for the cells of
 * `notebooks`, precompiled.ts) into `dir` (dist/snapshot by default) under a temporary name, then
 * puts it into place sealed (`commitSnapshot`, snapshot-blob.ts); returns its path. Throws when
 * Node cannot build it.
 */
export async function buildSnapshot(
  flags: readonly string[],
  dir: string = BUILT_DIR,
  notebooks: readonly string[] = shippedNotebooks(),
): Promise<string> {
  const { compilerSource, loadTypeScript } = await import("../engine/compiler/ts-loader.js");
  const { createTsConverter } = await import("../engine/compiler/index.js");
  const { createCompilerState, refreshFiles } = await import("../engine/compiler/host.js");
  const { computeNodeTriggers } = await import("../engine/compiler/node-types.js");
  const scratch = mkdtempSync(join(tmpdir(), "gradlab-snapshot-"));
  try {
    // The options of a notebook folder with no type roots of its own, before a cell needs
    // @types/node: the lib (node-types.ts).
    const notebook = join(scratch, "notebook");
    mkdirSync(notebook);
    const { ts } = loadTypeScript();
    const probe = createCompilerState(ts, notebook, true);
    refreshFiles(probe);
    const nodeTriggers = computeNodeTriggers(ts, probe.options, probe.cwd);
    const s = createCompilerState(ts, notebook, true, nodeTriggers);
    refreshFiles(s);
    const input: SnapshotInput = {
      tsFile: require.resolve("@tslab/typescript-for-tslab"),
      tsSource: compilerSource(require.resolve("@tslab/typescript-for-tslab")),
      options: s.options,
      dir: s.cwd,
      library: LIBRARY_DECLARATIONS,
      nodeTriggers,
    };
    // Made by the compiler code of the bundle the executor runs (its modules, while it is current).
    if (notebooks.length > 0 && plainFolder(s.cwd) && bundleIsCurrent()) {
      const st = statSync(BUNDLE);
      const conv = createTsConverter(s.cwd, { nodeTypes: nodeTriggers });
      input.precompiled = { bundle: [BUNDLE, st.size, st.mtimeMs], ...precompile(ts, conv, notebooks) };
      conv.close();
    }
    const inputFile = join(scratch, "input.json");
    writeFileSync(inputFile, JSON.stringify(input));
    mkdirSync(dir, { recursive: true });
    const blob = buildingName(dir, snapshotName(flags));
    // A snapshot script runs without `exports`, which compiled CommonJS sets.
    const entry = join(scratch, "entry.cjs");
    writeFileSync(entry, `var exports = {};\n${readFileSync(ENTRY, "utf8")}`);
    // Node applies --no-force-async-hooks-checks again to an environment it starts from a snapshot
    // (it counts down a counter the snapshot holds counted down already, which wraps around and
    // turns the checks back on: an interrupt then aborts the executor), so the snapshot is built
    // without it; it is no V8 flag, so the executor's flags still match the snapshot's.
    const build = flags.filter((f) => f !== "--no-force-async-hooks-checks");
    const r = spawnSync(process.execPath, [...build, "--snapshot-blob", blob, "--build-snapshot", entry], {
      cwd: scratch,
      env: { ...process.env, GRADLAB_SNAPSHOT_INPUT: inputFile },
      encoding: "utf8",
    });
    if (r.status !== 0 || !existsSync(blob)) {
      rmSync(blob, { force: true });
      throw new Error(`gradlab: cannot build the executor's snapshot (exit ${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
    }
    return commitSnapshot(blob, dir, flags);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
