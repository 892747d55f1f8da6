/** @file Kernel sessions on a Jupyter server or JupyterHub (`gradlab run --server URL --token T`), through @jupyterlab/services. */
import { basename, relative, sep } from "node:path";
import { KernelManager, ServerConnection, SessionManager, type KernelMessage } from "@jupyterlab/services";
import WebSocket from "ws";
import type { ExecuteResult } from "./messages.js";
import { ExecuteTimeoutError } from "./messages.js";
import { OutputCollector } from "./outputs.js";
import type { KernelSession, SessionFactory, SessionNotebook } from "./sessions.js";

/** How long a server kernel may take to answer its first kernel_info request. */
const KERNEL_INFO_TIMEOUT_MS = 120_000;

/**
 * Sessions that start one kernel per notebook on a Jupyter server (REST + WebSocket), so a
 * class's notebooks can run on a shared server instead of this machine. Node 20 has fetch but no
 * global WebSocket: the `ws` package provides it.
 *
 * @example
 * `root` is the local folder the server serves: a kernel starts in its notebook's folder when
 * that folder is under `root` (the server gets the notebook's path relative to it, as a front
 * end opening the notebook would send), else in the server's root.
 *
 * @example
 * const factory = serverSessions("http://127.0.0.1:8888/", "secret", process.cwd());
 * const session = await factory.start("gradlab", join(process.cwd(), "notebooks"));
 */
/**
 * @jupyterlab/services settings for the Jupyter server at `baseUrl` (ending in `/`) with a token,
 * WebSocket from the `ws` package.
 *
 * @example
 * new KernelManager({ serverSettings: serverConnection("http://127.0.0.1:8888/", "secret") })
 */
export function serverConnection(baseUrl: string, token: string): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, "ws"),
    token,
    appendToken: true,
    WebSocket: JsonWebSocket as unknown as ServerConnection.ISettings["WebSocket"],
  });
}

/**
 * A `ws` WebSocket that asks for no subprotocol: every Jupyter server speaks the JSON one without
 * it. @jupyterlab/services asks for the binary `v1.kernel.websocket.jupyter.org` first, which the
 * classic notebook server does not choose, and `ws` then drops the connection ("Server sent no
 * subprotocol"): the server had opened the kernel's channels and asked it for kernel_info for
 * nothing, and the client connected again without it.
 */
class JsonWebSocket extends WebSocket {
  constructor(url: string | URL) {
    super(url);
  }
}

export function serverSessions(url: string, token: string, root: string): SessionFactory {
  let base: URL;
  try {
    base = new URL(url.endsWith("/") ? url : `${url}/`);
  } catch {
    throw new Error(`run: --server expects an http(s) URL, got "${url}"`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new Error(`run: --server expects an http(s) URL, got "${url}"`);
  const serverSettings = serverConnection(base.href, token);
  const manager = new KernelManager({ serverSettings });
  const sessions = new SessionManager({ kernelManager: manager, serverSettings });
  // Ask once whether the server accepts the token, so a bad token reads as such (not as an XSRF error).
  let authorised: Promise<void> | undefined;
  const checkAuth = async (): Promise<void> => {
    const r = await fetch(new URL("api/status", base), { headers: { Authorization: `token ${token}` } }).catch((e: Error) => {
      throw new Error(`run: cannot reach the Jupyter server at ${base.href}: ${e.message}`);
    });
    if (r.status === 401 || r.status === 403)
      throw new Error(`run: the Jupyter server at ${base.href} rejected the token (HTTP ${r.status})`);
    if (!r.ok) throw new Error(`run: expected a Jupyter server at ${base.href}, got HTTP ${r.status} from api/status`);
  };
  let runs = 0;
  const start = async (name: string, cwd: string, notebook?: SessionNotebook): Promise<KernelSession> => {
    await (authorised ??= checkAuth());
    await sessions.ready;
    const rel = relative(root, cwd);
    const folder = rel === "" || rel.startsWith("..") || rel.startsWith(sep) ? "" : `${rel.split(sep).join("/")}/`;
    // The server starts the kernel in the session path's folder; the file itself need not exist.
    const path = `${folder}gradlab-run-${process.pid}-${++runs}.ipynb`;
    // Jupyter Server 2 gives the kernel JPY_SESSION_NAME = the folder joined with the session's
    // name: the notebook's file name makes that the notebook itself, whose language the kernel reads.
    const sessionName = notebook ? basename(notebook.path) : path;
    const connection = await sessions.startNew({ path, name: sessionName, type: "notebook", kernel: { name } }).catch((e: Error) => {
      throw new Error(`run: could not start kernel "${name}" on ${base.href}: ${e.message}`);
    });
    const kernel = connection.kernel;
    if (!kernel) throw new Error(`run: the server started no kernel for session ${path}`);
    // A kernel that never answers kernel_info must not hang the runner (grading goes on with the next notebook).
    let waiting: NodeJS.Timeout | undefined;
    const info = (await Promise.race([
      kernel.info,
      new Promise<never>((_, fail) => {
        waiting = setTimeout(
          () =>
            fail(new Error(`run: kernel "${name}" on ${base.href} did not answer kernel_info within ${KERNEL_INFO_TIMEOUT_MS / 1000} s`)),
          KERNEL_INFO_TIMEOUT_MS,
        );
      }),
    ])
      .catch(async (e: Error) => {
        await connection.shutdown().catch(() => undefined);
        connection.dispose();
        throw e;
      })
      .finally(() => clearTimeout(waiting))) as unknown as Record<string, unknown>;
    const session: KernelSession = {
      kernelInfo: info,
      async execute(code, opts): Promise<ExecuteResult> {
        const collector = new OutputCollector(opts.displays, opts.widgets);
        const future = kernel.requestExecute({
          code,
          stop_on_error: opts.stopOnError ?? true,
          allow_stdin: false,
          store_history: true,
          silent: false,
        });
        future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
          if (collector.add(msg.header.msg_type, msg.content as Record<string, unknown>)) opts.onOutput?.(collector.outputs);
        };
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, fail) => {
          if (opts.timeoutMs !== undefined) {
            timer = setTimeout(() => fail(new ExecuteTimeoutError(`execute: no reply within ${opts.timeoutMs} ms`)), opts.timeoutMs);
          }
        });
        try {
          const reply = await Promise.race([future.done, timeout]);
          const content = reply.content as unknown as Record<string, unknown>;
          const status = content.status === "ok" ? "ok" : content.status === "aborted" ? "aborted" : "error";
          const error =
            collector.error ??
            (status === "error"
              ? { ename: String(content.ename), evalue: String(content.evalue), traceback: (content.traceback as string[]) ?? [] }
              : undefined);
          const count = typeof content.execution_count === "number" ? content.execution_count : collector.executionCount;
          return { status, executionCount: count, outputs: collector.outputs, reply: content, ...(error ? { error } : {}) };
        } catch (e) {
          if (e instanceof ExecuteTimeoutError) {
            await kernel.interrupt().catch(() => undefined);
            await Promise.race([future.done.catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
          }
          throw e;
        } finally {
          clearTimeout(timer);
        }
      },
      async close() {
        await connection.shutdown().catch(() => undefined);
        connection.dispose();
      },
    };
    return session;
  };
  return {
    start,
    dispose: () => {
      sessions.dispose();
      manager.dispose();
    },
  };
}
