/** @file Where `gradlab install` and `gradlab uninstall` put the kernelspec: their options and the folder they select. */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { KERNEL_NAME } from "../../kernel/kernelspec.js";
import { parseArgs } from "../args.js";
import { userDataDir } from "../paths.js";

/** Parsed `install`/`uninstall` options. */
export interface SpecOptions {
  where: "user" | "prefix" | "sys-prefix";
  prefix?: string;
  python?: string;
}

/**
 * Parse `[--user | --prefix DIR | --sys-prefix] [--python PY]`; throws with a usage message.
 *
 * @example
 * parseSpecArgs(["--prefix", "/tmp/p"], "install") // { where: "prefix", prefix: "/tmp/p" }
 */
export function parseSpecArgs(argv: string[], command: string): SpecOptions {
  const usage = `usage: gradlab ${command} [--user | --prefix DIR | --sys-prefix] [--python PY]`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(`gradlab ${command}`, argv, { user: "boolean", prefix: "string", "sys-prefix": "boolean", python: "string" });
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${usage}`, { cause: e });
  }
  const { paths, flags } = parsed;
  for (const name of ["prefix", "python"]) {
    if (flags[name] === "") throw new Error(`gradlab ${command}: --${name} expects a value, got nothing\n${usage}`);
  }
  if (paths.length > 0) throw new Error(`gradlab ${command}: unexpected argument "${paths[0]}"\n${usage}`);
  const places = ["user", "prefix", "sys-prefix"].filter((p) => flags[p] !== undefined);
  if (places.length > 1) {
    throw new Error(
      `gradlab ${command}: expected at most one of --user, --prefix, --sys-prefix, got ${places.map((p) => "--" + p).join(", ")}`,
    );
  }
  const opts: SpecOptions = { where: places[0] === "prefix" ? "prefix" : places[0] === "sys-prefix" ? "sys-prefix" : "user" };
  if (flags.prefix !== undefined) opts.prefix = resolve(String(flags.prefix));
  if (flags.python !== undefined) opts.python = String(flags.python);
  return opts;
}

/** Ask a Python interpreter for its sys.prefix, or (`user`) its Jupyter per-user data dir. */
function askPython(python: string, what: "sysPrefix" | "user"): string {
  const script =
    what === "user" ? "from jupyter_core.paths import jupyter_data_dir\nprint(jupyter_data_dir())" : "import sys\nprint(sys.prefix)";
  try {
    return execFileSync(python, ["-c", script], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch (e) {
    const need = what === "user" ? " (is jupyter_core installed for it?)" : "";
    throw new Error(
      `gradlab: cannot ask ${python} for ${what === "user" ? "Jupyter's data dir" : "sys.prefix"}${need}: ${(e as Error).message.split("\n")[0]}`,
      { cause: e },
    );
  }
}

/**
 * The `kernels/gradlab` directory the options select.
 *
 * @example
 * kernelDir({ where: "prefix", prefix: "/tmp/p" }) // "/tmp/p/share/jupyter/kernels/gradlab"
 */
export function kernelDir(opts: SpecOptions): string {
  return join(dataDir(opts), "kernels", KERNEL_NAME);
}

/**
 * The `nbextensions/gradlab` directory beside it, which the classic notebook server serves under
 * `<base_url>nbextensions/gradlab/` (plotly.js for figures, src/display/plotly.ts).
 *
 * @example
 * nbextensionDir({ where: "prefix", prefix: "/tmp/p" }) // "/tmp/p/share/jupyter/nbextensions/gradlab"
 */
export function nbextensionDir(opts: SpecOptions): string {
  return join(dataDir(opts), "nbextensions", KERNEL_NAME);
}

/** Jupyter's data folder (`share/jupyter`) the options select. */
function dataDir(opts: SpecOptions): string {
  if (opts.where === "prefix") return join(opts.prefix!, "share", "jupyter");
  if (opts.where === "sys-prefix") return join(askPython(opts.python ?? "python3", "sysPrefix"), "share", "jupyter");
  return opts.python ? askPython(opts.python, "user") : userDataDir();
}
