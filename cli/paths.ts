/** @file Paths the gradlab command needs: the package's own folder and Jupyter's data directories. */
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

export { PACKAGE_ROOT } from "../kernel/kernelspec.js";

/**
 * Jupyter's per-user data directory as jupyter_core computes it, without asking Python:
 * `JUPYTER_DATA_DIR`, else `~/Library/Jupyter` on macOS, else `$XDG_DATA_HOME/jupyter`
 * (`~/.local/share/jupyter`).
 *
 * @example
 * userDataDir({ HOME: "/home/me" }) // "/home/me/.local/share/jupyter" (on Linux)
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  return join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter");
}

/**
 * Jupyter's data directories, in its search order (JUPYTER_PATH, the user's, then system ones).
 *
 * @example
 * jupyterDataDirs(); // ["/home/me/.local/share/jupyter", "/usr/local/share/jupyter", "/usr/share/jupyter"]
 */
export function jupyterDataDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromPath = (env.JUPYTER_PATH ?? "").split(delimiter).filter(Boolean);
  return [...fromPath, userDataDir(env), "/usr/local/share/jupyter", "/usr/share/jupyter"];
}
