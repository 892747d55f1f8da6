/** @file `gradlab uninstall [--user | --prefix DIR | --sys-prefix] [--python PY]`: remove the kernelspec (and the plotly.js installed beside it). */
import { existsSync, rmSync } from "node:fs";
import { kernelDir, nbextensionDir, parseSpecArgs } from "./places.js";

/**
 * Remove the `gradlab` kernelspec; returns the exit code (1 when none was installed there).
 *
 * @example
 * await main(["--prefix", "/tmp/jupyter-prefix"]);
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const opts = parseSpecArgs(argv, "uninstall");
    const dir = kernelDir(opts);
    if (!existsSync(dir)) {
      console.error(`gradlab uninstall: no gradlab kernelspec in ${dir}`);
      return 1;
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(nbextensionDir(opts), { recursive: true, force: true });
    console.log(`Removed kernelspec gradlab from ${dir}`);
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
}
