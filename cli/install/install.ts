/** @file `gradlab install [--user | --prefix DIR | --sys-prefix] [--python PY]`: write the kernelspec. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kernelJson } from "../../kernel/kernelspec.js";
import { kernelDir, parseSpecArgs } from "./places.js";

/**
 * Install the `gradlab` kernelspec; returns the exit code.
 *
 * @example
 * await main(["--prefix", "/tmp/jupyter-prefix"]); // writes /tmp/jupyter-prefix/share/jupyter/kernels/gradlab/kernel.json
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const dir = kernelDir(parseSpecArgs(argv, "install"));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "kernel.json"), JSON.stringify(kernelJson(), null, 2) + "\n");
    console.log(`Installed kernelspec gradlab in ${dir}`);
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
}
