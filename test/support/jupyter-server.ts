/** @file Starts Debian's `jupyter notebook` server on loopback for tests and benchmarks, isolated in a scratch folder. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "../../cli/client/messages.js";
import { NOTEBOOK_APP_DIR } from "./jupyterhub.js";

/** A running notebook server. */
export interface JupyterServer {
  url: string;
  token: string;
  /** Scratch folder: `root/` is the server's notebook dir, `share/jupyter/` is on its JUPYTER_PATH. */
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

/** Writes a kernelspec into the folder a server started by {@link startJupyterServer} searches. */
export function addKernelSpec(dir: string, name: string, spec: Record<string, unknown>): void {
  const kdir = join(dir, "share", "jupyter", "kernels", name);
  mkdirSync(kdir, { recursive: true });
  writeFileSync(join(kdir, "kernel.json"), JSON.stringify(spec, null, 1));
}

/**
 * Starts `/usr/bin/python3 -m notebook` (Debian ships classic notebook 6.4) on 127.0.0.1 with a
 * random token and its own config/runtime/data folders; `prepare(dir)` runs before it starts
 * (e.g. to add kernelspecs); `extraArgs` go to the server's command line (e.g.
 * `--NotebookApp.allow_origin=...` for a page served from elsewhere); `dir` is the scratch folder
 * (default: a new one); `app: "gradlab"` starts gradlab's subclass of the server
 * (cli/hub/gradlab_notebook.py, what the instructors' guide gives JupyterHub) instead.
 */
export async function startJupyterServer(
  prepare: (dir: string) => void = () => {},
  extraArgs: readonly string[] = [],
  dir: string = mkdtempSync(join(tmpdir(), "gradlab-jupyter-")),
  opts: { app?: "notebook" | "gradlab" } = {},
): Promise<JupyterServer> {
  mkdirSync(join(dir, "root"), { recursive: true });
  prepare(dir);
  const port = (await freePorts(1))[0]!;
  const token = randomBytes(16).toString("hex");
  const gradlabApp = opts.app === "gradlab";
  const args = [
    ...(gradlabApp ? ["-c", "from gradlab_notebook import NotebookApp; NotebookApp.launch_instance()"] : ["-m", "notebook"]),
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    `--NotebookApp.token=${token}`,
    `--notebook-dir=${join(dir, "root")}`,
    "--NotebookApp.port_retries=0",
  ];
  if (process.getuid?.() === 0) args.push("--allow-root");
  args.push(...extraArgs);
  let log = "";
  const proc: ChildProcess = spawn("/usr/bin/python3", args, {
    env: {
      ...process.env,
      JUPYTER_PATH: join(dir, "share", "jupyter"),
      JUPYTER_CONFIG_DIR: join(dir, "config"),
      JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
      JUPYTER_DATA_DIR: join(dir, "data"),
      PYDEVD_DISABLE_FILE_VALIDATION: "1",
      ...(gradlabApp ? { PYTHONPATH: NOTEBOOK_APP_DIR } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  while (true) {
    if (proc.exitCode !== null) throw new Error(`jupyter notebook exited (${proc.exitCode}):\n${log}`);
    const ok = await fetch(`${url}api/status?token=${token}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`jupyter notebook did not answer within 30 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    token,
    dir,
    log: () => log,
    stop: () =>
      new Promise((ok) => {
        if (proc.exitCode !== null) return ok();
        proc.on("exit", () => ok());
        proc.kill("SIGTERM");
        setTimeout(() => proc.kill("SIGKILL"), 5000).unref();
      }),
  };
}
