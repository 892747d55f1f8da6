/** @file Kernel sessions on a Jupyter server or JupyterHub (`gradlab run --server URL --token T`), through @jupyterlab/services. */
import { KernelManager, ServerConnection, type KernelMessage } from "@jupyterlab/services";
import WebSocket from "ws";
import type { ExecuteResult } from "../client.js";
import { ExecuteTimeoutError } from "../client.js";
import { OutputCollector } from "./outputs.js";
import type { KernelSession, SessionFactory } from "./sessions.js";

/**
 * Sessions that start one kernel per notebook on a Jupyter server (REST + WebSocket), so a
 * class's notebooks can run on a shared server instead of this machine. Node 20 has fetch but no
 * global WebSocket: the `ws` package provides it.
 *
 * @example
 * const factory = serverSessions("http://127.0.0.1:8888/", "secret");
 * const session = await factory.start("gradlab", process.cwd());
 */
export function serverSessions(url: string, token: string): SessionFactory {
  let base: URL;
  try {
    base = new URL(url.endsWith("/") ? url : `${url}/`);
  } catch {
    throw new Error(`run: --server expects an http(s) URL, got "${url}"`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new Error(`run: --server expects an http(s) URL, got "${url}"`);
  const serverSettings = ServerConnection.makeSettings({
    baseUrl: base.href,
    wsUrl: base.href.replace(/^http/, "ws"),
    token,
    appendToken: true,
    WebSocket: WebSocket as unknown as ServerConnection.ISettings["WebSocket"],
  });
  const manager = new KernelManager({ serverSettings });
  // The working directory is the server's business: kernels start in its root (cwd is unused).
  // Ask once whether the server accepts the token, so a bad token reads as such (not as an XSRF error).
  let authorised: Promise<void> | undefined;
  const checkAuth = async (): Promise<void> => {
    const r = await fetch(new URL("api/status", base), { headers: { Authorization: `token ${token}` } }).catch((e: Error) => {
      throw new Error(`run: cannot reach the Jupyter server at ${base.href}: ${e.message}`);
    });
    if (r.status === 401 || r.status === 403) throw new Error(`run: the Jupyter server at ${base.href} rejected the token (HTTP ${r.status})`);
    if (!r.ok) throw new Error(`run: expected a Jupyter server at ${base.href}, got HTTP ${r.status} from api/status`);
  };
  const start = async (name: string): Promise<KernelSession> => {
    await (authorised ??= checkAuth());
    await manager.ready;
    const kernel = await manager.startNew({ name }).catch((e: Error) => {
      throw new Error(`run: could not start kernel "${name}" on ${base.href}: ${e.message}`);
    });
    const info = (await kernel.info) as unknown as Record<string, unknown>;
    const session: KernelSession = {
      kernelInfo: info,
      async execute(code, opts): Promise<ExecuteResult> {
        const collector = new OutputCollector(opts.displays);
        const future = kernel.requestExecute({ code, stop_on_error: opts.stopOnError ?? true, allow_stdin: false, store_history: true, silent: false });
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
          const error = collector.error ?? (status === "error" ? { ename: String(content.ename), evalue: String(content.evalue), traceback: (content.traceback as string[]) ?? [] } : undefined);
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
        await kernel.shutdown().catch(() => undefined);
        kernel.dispose();
      },
    };
    return session;
  };
  return { start, dispose: () => manager.dispose() };
}
