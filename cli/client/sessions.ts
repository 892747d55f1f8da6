/** @file Where cells run: an embedded kernel this process launches (ZeroMQ), found by kernelspec name. */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { kernelArgv, KERNEL_NAME } from "../../kernel/kernelspec.js";
import type { Language } from "../../src/i18n/index.js";
import { jupyterDataDirs } from "../paths.js";
import { KernelClient } from "./kernel-client.js";
import type { ExecuteOptions, ExecuteResult } from "./messages.js";

/** A running kernel the runner can send cells to (embedded or on a Jupyter server). */
export interface KernelSession {
  /** The kernel_info_reply content (language_info goes into the executed notebook). */
  readonly kernelInfo: Record<string, unknown>;
  execute(
    code: string,
    opts: Pick<ExecuteOptions, "timeoutMs" | "onOutput" | "displays" | "stopOnError" | "widgets">,
  ): Promise<ExecuteResult>;
  close(): Promise<void>;
}

/** The notebook a kernel is started for: its file and the language its outputs are written in. */
export interface SessionNotebook {
  path: string;
  /** The notebook's language (its metadata.language); English when it names none. */
  language?: Language;
}

/**
 * Starts kernels by kernelspec name (with the notebook's folder as working directory); `dispose`
 * when done. Given the notebook, the kernel learns its path and language as front ends tell
 * kernels: `JPY_SESSION_NAME` (Jupyter Server 2, VS Code) and gradlab's `GRADLAB_LANGUAGE`.
 */
export interface SessionFactory {
  start(kernelName: string, cwd: string, notebook?: SessionNotebook): Promise<KernelSession>;
  dispose(): void;
}

/** The parts of a kernelspec (kernel.json) the runner uses. */
export interface KernelSpec {
  argv: string[];
  env?: Record<string, string>;
  interrupt_mode?: "signal" | "message";
}

/**
 * Finds a kernelspec by name. "gradlab" always means this checkout's kernel, so the runner tests
 * the code next to it rather than whichever copy was installed last.
 *
 * @example
 * findKernelSpec("python3").argv[0]; // "python3" or "/usr/bin/python3"
 */
export function findKernelSpec(name: string, env: NodeJS.ProcessEnv = process.env): KernelSpec {
  if (name === KERNEL_NAME) return { argv: kernelArgv(), interrupt_mode: "signal" };
  const dirs = jupyterDataDirs(env);
  for (const dir of dirs) {
    const file = join(dir, "kernels", name, "kernel.json");
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    const spec = JSON.parse(text) as KernelSpec;
    if (!Array.isArray(spec.argv) || spec.argv.length === 0) {
      throw new Error(`kernelspec ${file}: expected a non-empty "argv" list, got ${JSON.stringify(spec.argv)}`);
    }
    return spec;
  }
  throw new Error(`run: no kernelspec named "${name}" (looked in ${dirs.map((d) => join(d, "kernels")).join(", ")})`);
}

/**
 * Sessions that launch their own kernel process per notebook and talk ZeroMQ to it (no Jupyter server).
 *
 * @example
 * const session = await embeddedSessions().start("gradlab", "/repo/notebooks");
 */
export function embeddedSessions(env: NodeJS.ProcessEnv = process.env): SessionFactory {
  return {
    async start(name, cwd, notebook) {
      const spec = findKernelSpec(name, env);
      const told = notebook ? { JPY_SESSION_NAME: resolve(notebook.path), GRADLAB_LANGUAGE: notebook.language ?? "en" } : {};
      return KernelClient.start({ argv: spec.argv, env: { ...spec.env, ...told }, cwd, interruptMode: spec.interrupt_mode });
    },
    dispose() {},
  };
}

/**
 * Where `run` and `check` start kernels: embedded (ZeroMQ, default) or `--server URL --token T`.
 *
 * @example
 * const sessions = await sessionFactory({ server: "http://127.0.0.1:8888/", token: "t" }, "run");
 */
export async function sessionFactory(flags: Record<string, string | number | boolean>, command: string): Promise<SessionFactory> {
  if (flags.token !== undefined && flags.server === undefined) throw new Error(`${command}: --token needs --server URL`);
  if (flags["server-root"] !== undefined && flags.server === undefined) throw new Error(`${command}: --server-root needs --server URL`);
  if (flags.server === undefined) return embeddedSessions();
  const token = String(flags.token ?? process.env.JUPYTER_TOKEN ?? "");
  // @jupyterlab/services logs every WebSocket it opens with console.debug, which Node prints to
  // stdout among the summary; gradlab itself never uses console.debug.
  console.debug = () => {};
  const { serverSessions } = await import("../client/server-sessions.js");
  return serverSessions(String(flags.server), token, resolve(String(flags["server-root"] ?? ".")));
}
