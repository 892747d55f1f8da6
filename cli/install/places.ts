/** @file Where `gradlab install` and `gradlab uninstall` put the kernelspec: their options and the folder they select. */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { KERNEL_NAME } from "../../kernel/kernelspec.js";
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
  const opts: SpecOptions = { where: "user" };
  const places: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new Error(`gradlab ${command}: ${flag} needs a value`);
      return v;
    };
    if (flag === "--user") places.push("user");
    else if (flag === "--sys-prefix") {
      places.push("sys-prefix");
      opts.where = "sys-prefix";
    } else if (flag === "--prefix") {
      places.push("prefix");
      opts.where = "prefix";
      opts.prefix = resolve(value());
    } else if (flag === "--python") opts.python = value();
    else
      throw new Error(
        `gradlab ${command}: unknown option ${a}\nusage: gradlab ${command} [--user | --prefix DIR | --sys-prefix] [--python PY]`,
      );
  }
  if (places.length > 1)
    throw new Error(
      `gradlab ${command}: expected at most one of --user, --prefix, --sys-prefix, got ${places.map((p) => "--" + p).join(", ")}`,
    );
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
  let dataDir: string;
  if (opts.where === "prefix") dataDir = join(opts.prefix!, "share", "jupyter");
  else if (opts.where === "sys-prefix") dataDir = join(askPython(opts.python ?? "python3", "sysPrefix"), "share", "jupyter");
  else dataDir = opts.python ? askPython(opts.python, "user") : userDataDir();
  return join(dataDir, "kernels", KERNEL_NAME);
}
