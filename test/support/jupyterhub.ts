/**
 * @file Starts Debian's JupyterHub 3.0 on loopback for tests and benchmarks: a hub with the dummy
 * authenticator and the simple local-process spawner (gradlab's subclass of it, which gives each
 * server a port of its own: cli/hub/gradlab_spawner.py), Debian's configurable-http-proxy, and
 * Debian's classic notebook server as every user's single-user server, all in one scratch folder.
 *
 * Rules the harness relies on:
 * - Debian's Jupyter runs on /usr/bin/python3 (not the first python3 on PATH), so the hub and the
 *   single-user servers are started by absolute path.
 * - Debian's configurable-http-proxy (`#!/usr/bin/env node`) finds its modules where Debian keeps
 *   them only through `NODE_PATH=/usr/share/nodejs`; the proxy inherits the hub's environment.
 * - The spawner passes a user's server only a few variables of the hub's environment
 *   (`Spawner.env_keep`) plus `Spawner.environment`: the kernelspec's folder (`JUPYTER_PATH`) and
 *   the tag go through the latter. Kernels inherit their server's environment, so every process
 *   of the class (hub, proxy, servers, kernels, executors) carries `GRADLAB_TEST_TAG=<tag>`, and a
 *   user's server and kernels also carry `JUPYTERHUB_USER=<name>`.
 * - The spawner and the hub start the servers and the proxy in sessions of their own, so a signal
 *   to the hub's group does not reach them: {@link Hub.stop} asks the hub to shut down (it stops
 *   the servers, which stop their kernels, and the proxy) and then kills whatever still carries the tag.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePorts } from "../../cli/client/messages.js";
import { PACKAGE_ROOT } from "../../kernel/kernelspec.js";
import { newTag, signal, tagged, waitGone } from "./procs.js";

/** Debian's programs the hub needs. */
export const HUB_PYTHON = "/usr/bin/python3";
export const HUB_COMMAND = "/usr/bin/jupyterhub";
export const SINGLEUSER_COMMAND = "/usr/bin/jupyterhub-singleuser";
export const PROXY_COMMAND = "/usr/bin/configurable-http-proxy";
/** Where Debian keeps the proxy's Node modules. */
export const DEBIAN_NODE_PATH = "/usr/share/nodejs";
/**
 * The folder of gradlab's notebook server class (`gradlab_notebook.NotebookApp`), which the servers
 * get on PYTHONPATH, and of its spawner (`gradlab_spawner`), which the hub's configuration puts on its path.
 */
export const NOTEBOOK_APP_DIR = join(PACKAGE_ROOT, "cli", "hub");

/** The system's ephemeral port range (low, high), above which gradlab_spawner gives servers their ports. */
export function ephemeralPortRange(): [low: number, high: number] {
  const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
  return [low!, high!];
}

/** Options of {@link startHub}. */
export interface HubOptions {
  /** The spawner's `mem_limit` (bytes, or "512M"-style); the hub hands it to each server as `MEM_LIMIT`. */
  memLimit?: string;
  /** Variables for every user's server (and so their kernels). */
  env?: Record<string, string>;
  /** Called with the scratch folder before the hub starts (e.g. to install a kernelspec under `dir/prefix`). */
  prepare?: (dir: string) => void | Promise<void>;
  /** The scratch folder (default: a new one under the system's temporary folder). */
  dir?: string;
  /** How long a single-user server may take to start, in seconds (the spawner's start_timeout). */
  startTimeout?: number;
}

/** A running hub. */
export interface Hub {
  /** The proxy's public URL, `http://127.0.0.1:PORT/`. */
  url: string;
  /** The scratch folder: `home/<user>/` are the users' homes, `prefix/share/jupyter` is on the servers' JUPYTER_PATH. */
  dir: string;
  /** The kernelspec prefix (`gradlab install --prefix` it). */
  prefix: string;
  /** The tag every process of this hub carries. */
  tag: string;
  /** The hub's own pid. */
  pid: number;
  /** The hub's output so far (the proxy's and the servers' output go to it too). */
  log(): string;
  /** Calls the hub's REST API (`path` under `hub/api/`) with the admin service's token; throws on an HTTP error. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Creates users through the REST API. */
  addUsers(names: readonly string[]): Promise<void>;
  /** A new API token of `user`, made through the REST API. */
  userToken(user: string, note?: string): Promise<string>;
  /** Starts `user`'s server and waits for the hub's progress stream to say it is ready; returns its URL through the proxy. */
  startServer(user: string): Promise<string>;
  /** `user`'s server URL through the proxy, `http://127.0.0.1:PORT/user/NAME/`. */
  serverUrl(user: string): string;
  /** `user`'s home folder (their server's root). */
  home(user: string): string;
  /**
   * Stops the hub (SIGTERM: it stops the servers and the proxy), kills the tagged processes left
   * after `graceMs`, and returns the ones that were left (with their command lines) before that kill.
   */
  stop(graceMs?: number): Promise<string[]>;
}

const py = (s: string): string => JSON.stringify(s);

/** The hub's jupyterhub_config.py. */
function hubConfig(o: {
  dir: string;
  port: number;
  hubPort: number;
  proxyApiPort: number;
  serviceToken: string;
  proxyToken: string;
  env: Record<string, string>;
  memLimit?: string;
  startTimeout: number;
}): string {
  const root = process.getuid?.() === 0;
  return `# Written by gradlab's test harness (test/support/jupyterhub.ts).
c = get_config()  # noqa
import sys
sys.path.insert(0, ${py(NOTEBOOK_APP_DIR)})  # gradlab_spawner, as the instructors' guide has it
c.JupyterHub.bind_url = ${py(`http://127.0.0.1:${o.port}`)}
c.JupyterHub.hub_bind_url = ${py(`http://127.0.0.1:${o.hubPort}`)}
c.JupyterHub.db_url = ${py(`sqlite:///${join(o.dir, "jupyterhub.sqlite")}`)}
c.JupyterHub.cookie_secret_file = ${py(join(o.dir, "jupyterhub_cookie_secret"))}
c.JupyterHub.pid_file = ${py(join(o.dir, "jupyterhub.pid"))}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
c.JupyterHub.proxy_class = "jupyterhub.proxy.ConfigurableHTTPProxy"
c.ConfigurableHTTPProxy.command = [${py(PROXY_COMMAND)}]
c.ConfigurableHTTPProxy.api_url = ${py(`http://127.0.0.1:${o.proxyApiPort}`)}
c.ConfigurableHTTPProxy.auth_token = ${py(o.proxyToken)}
c.ConfigurableHTTPProxy.pid_file = ${py(join(o.dir, "proxy.pid"))}
c.JupyterHub.services = [{"name": "gradlab-harness", "api_token": ${py(o.serviceToken)}}]
c.JupyterHub.load_roles = [{"name": "admin", "services": ["gradlab-harness"]}]
c.JupyterHub.spawner_class = "gradlab_spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = ${py(join(o.dir, "home", "{username}"))}
c.Spawner.cmd = [${py(SINGLEUSER_COMMAND)}]
c.Spawner.args = ${root ? '["--allow-root"]' : "[]"}
c.Spawner.environment = ${JSON.stringify(o.env)}
c.Spawner.start_timeout = ${o.startTimeout}
c.Spawner.http_timeout = ${o.startTimeout}
c.Spawner.default_url = "/tree"
${o.memLimit !== undefined ? `c.Spawner.mem_limit = ${py(o.memLimit)}\n` : ""}`;
}

/**
 * Starts a hub on 127.0.0.1 (free ports) in a scratch folder and waits for its REST API. Every
 * user's server runs Debian's classic notebook server (`JUPYTERHUB_SINGLEUSER_APP`: gradlab's
 * subclass of it, cli/hub/gradlab_notebook.py, as the instructors' guide recommends) with
 * `JUPYTER_PATH=dir/prefix/share/jupyter`, so `gradlab install --prefix dir/prefix` (in
 * `prepare`) makes gradlab's kernel every user's kernel without touching the machine's kernelspecs.
 *
 * @example
 * const hub = await startHub({ prepare: (dir) => installKernel(join(dir, "prefix")) });
 * await hub.addUsers(["ada"]);
 * const url = await hub.startServer("ada"), token = await hub.userToken("ada");
 * await hub.stop();
 */
export async function startHub(opts: HubOptions = {}): Promise<Hub> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "gradlab-hub-"));
  const prefix = join(dir, "prefix");
  mkdirSync(join(dir, "home"), { recursive: true });
  mkdirSync(join(prefix, "share", "jupyter"), { recursive: true });
  const tag = newTag("jupyterhub");
  await opts.prepare?.(dir);
  const [port, hubPort, proxyApiPort] = (await freePorts(3)) as [number, number, number];
  const serviceToken = randomBytes(24).toString("hex");
  const config = join(dir, "jupyterhub_config.py");
  writeFileSync(
    config,
    hubConfig({
      dir,
      port,
      hubPort,
      proxyApiPort,
      serviceToken,
      proxyToken: randomBytes(24).toString("hex"),
      memLimit: opts.memLimit,
      startTimeout: opts.startTimeout ?? 120,
      env: {
        ...opts.env,
        JUPYTER_PATH: join(prefix, "share", "jupyter"),
        // The classic notebook server without its import of IPython at start (cli/hub/gradlab_notebook.py).
        JUPYTERHUB_SINGLEUSER_APP: "gradlab_notebook.NotebookApp",
        PYTHONPATH: NOTEBOOK_APP_DIR,
        // The classic server imports distutils; setuptools' replacement (Debian's default) loads
        // pkg_resources with it: about 0.15 s of each server's 0.85 s of CPU at start.
        SETUPTOOLS_USE_DISTUTILS: "stdlib",
        GRADLAB_TEST_TAG: tag,
      },
    }),
  );
  let log = "";
  // The Node on PATH runs the proxy (`#!/usr/bin/env node`): the one running this process.
  const path = [dirname(process.execPath), process.env.PATH ?? "/usr/bin:/bin"].join(":");
  const proc: ChildProcess = spawn(HUB_PYTHON, [HUB_COMMAND, "-f", config], {
    cwd: dir,
    env: { ...process.env, PATH: path, NODE_PATH: DEBIAN_NODE_PATH, GRADLAB_TEST_TAG: tag },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((ok) => proc.on("exit", () => ok()));
  const url = `http://127.0.0.1:${port}/`;

  const api = async <T>(method: string, apiPath: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${url}hub/api/${apiPath}`, {
      method,
      headers: { Authorization: `token ${serviceToken}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`jupyterhub: ${method} hub/api/${apiPath}: HTTP ${r.status} ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  };

  const stop = async (graceMs = 30_000): Promise<string[]> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    }
    const left = await waitGone(tag, graceMs);
    for (const pid of tagged(tag)) signal(pid, "SIGKILL");
    await waitGone(tag, 10_000);
    return left;
  };

  // The hub answers its REST API once the proxy and its routes are up. The poll only waits for
  // the hub to listen; its bound keeps a broken install from hanging the caller.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      await stop();
      throw new Error(`jupyterhub exited (${proc.exitCode ?? proc.signalCode}):\n${log}`);
    }
    const ok = await fetch(`${url}hub/api/`, { headers: { Authorization: `token ${serviceToken}` } }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyterhub did not answer within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const serverUrl = (user: string): string => `${url}user/${encodeURIComponent(user)}/`;
  return {
    url,
    dir,
    prefix,
    tag,
    pid: proc.pid!,
    log: () => log,
    api,
    async addUsers(names) {
      await api("POST", "users", { usernames: names });
    },
    async userToken(user, note = "gradlab") {
      const r = await api<{ token: string }>("POST", `users/${encodeURIComponent(user)}/tokens`, { note });
      return r.token;
    },
    async startServer(user) {
      const name = encodeURIComponent(user);
      await api("POST", `users/${name}/server`);
      // The progress stream (server-sent events) ends with {"ready": true} or {"failed": true}.
      const r = await fetch(`${url}hub/api/users/${name}/server/progress`, {
        headers: { Authorization: `token ${serviceToken}`, Accept: "text/event-stream" },
      });
      if (!r.ok || !r.body) throw new Error(`jupyterhub: progress of ${user}'s server: HTTP ${r.status}`);
      let buffer = "";
      let last: Record<string, unknown> = {};
      const decoder = new TextDecoder();
      for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          for (const line of event.split("\n")) if (line.startsWith("data:")) last = JSON.parse(line.slice(5)) as Record<string, unknown>;
          if (last.ready === true) return serverUrl(user);
          if (last.failed === true) throw new Error(`jupyterhub: ${user}'s server failed to start: ${String(last.message)}\n${log}`);
        }
      }
      // The stream also ends at once when the server was already ready.
      const model = await api<{ servers?: Record<string, { ready?: boolean }> }>("GET", `users/${name}`);
      if (model.servers?.[""]?.ready) return serverUrl(user);
      throw new Error(`jupyterhub: ${user}'s server is not ready (last progress: ${JSON.stringify(last)})\n${log}`);
    },
    serverUrl,
    home: (user) => join(dir, "home", user),
    stop,
  };
}

/** The RSS (bytes) of a process, or 0 when it is gone. */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** The value of `name` in a process's environment, or undefined. */
export function environOf(pid: number, name: string): string | undefined {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, "latin1");
    const m = new RegExp(`(?:^|\\0)${name}=([^\\0]*)`).exec(env);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** The command line of a process, blank-separated, or "" when it is gone. */
export function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

/** Removes a hub's scratch folder. */
export function removeHubDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
