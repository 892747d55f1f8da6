/**
 * @file `gradlab install [--user | --prefix DIR | --sys-prefix] [--python PY] [--mem-limit SIZE]`:
 * write the kernelspec and, beside it, plotly.js for the classic notebook server to serve
 * (`nbextensions/gradlab/plotly.min.js`: figures load it from there on gradlab's notebook server
 * class instead of carrying it, src/display/plotly.ts), and with `--mem-limit` build the
 * executor's startup snapshot for kernels under that memory limit (a JupyterHub spawner's `mem_limit`).
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { kernelJson } from "../../kernel/kernelspec.js";
import { machineReadings, memoryLimits, parseSize } from "../../kernel/node/limits.js";
import { writableDir } from "../../kernel/node/snapshot-blob.js";
import { executorFlags } from "../../kernel/protocol/host.js";
import { kernelDir, nbextensionDir, parseSpecArgs } from "./places.js";

/** `--mem-limit SIZE` (or `--mem-limit=SIZE`) taken out of `argv`: the size given, and the rest. */
function takeMemLimit(argv: string[]): { memLimit?: string; rest: string[] } {
  const rest: string[] = [];
  let memLimit: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--mem-limit") {
      memLimit = argv[++i];
      if (memLimit === undefined || memLimit.startsWith("--")) throw new Error("gradlab install: --mem-limit expects a size such as 2G");
    } else if (a.startsWith("--mem-limit=")) memLimit = a.slice("--mem-limit=".length);
    else rest.push(a);
  }
  return { memLimit, rest };
}

/**
 * The executor's flags for a kernel whose server has `MEM_LIMIT` = `memLimit` (as a JupyterHub
 * spawner sets it) on this machine.
 *
 * @example
 * snapshotFlags("2G") // ["--max-old-space-size=512", "--max-semi-space-size=16", "--no-force-async-hooks-checks", "--no-memory-reducer"]
 */
export function snapshotFlags(memLimit: string): string[] {
  const bytes = parseSize(memLimit);
  const readings = machineReadings({ MEM_LIMIT: String(bytes) });
  return executorFlags(memoryLimits(readings), {});
}

/**
 * Install the `gradlab` kernelspec; returns the exit code.
 *
 * @example
 * await main(["--prefix", "/tmp/jupyter-prefix"]); // writes /tmp/jupyter-prefix/share/jupyter/kernels/gradlab/kernel.json
 * await main(["--prefix", "/usr/local", "--mem-limit", "2G"]); // and the snapshot for kernels under mem_limit 2G
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const { memLimit, rest } = takeMemLimit(argv);
    const flags = memLimit === undefined ? undefined : snapshotFlags(memLimit);
    const opts = parseSpecArgs(rest, "install");
    const dir = kernelDir(opts);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "kernel.json"), JSON.stringify(kernelJson(), null, 2) + "\n");
    console.log(`Installed kernelspec gradlab in ${dir}`);
    const ext = nbextensionDir(opts);
    mkdirSync(ext, { recursive: true });
    copyFileSync(createRequire(import.meta.url).resolve("plotly.js-dist-min"), join(ext, "plotly.min.js"));
    if (flags) {
      const into = writableDir();
      if (!into) throw new Error("gradlab install: no folder for the snapshot is writable (the package's dist/snapshot, ~/.cache/gradlab)");
      const { buildSnapshot } = await import("../../kernel/node/snapshot.js");
      const file = await buildSnapshot(flags, into);
      console.log(`Built the executor's snapshot for mem_limit ${memLimit} (${flags.join(" ")}): ${file}`);
    }
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
}
