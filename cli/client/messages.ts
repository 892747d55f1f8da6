/** @file What a kernel client sends and receives: channels, messages, the options and results of a start and an execute, and the small async helpers it runs on. */
import { createServer } from "node:net";
import type { Header } from "../../kernel/protocol/wire.js";
import type { CellError, DisplayRegistry, NotebookOutput } from "./outputs.js";
import type { WidgetStates } from "./widget-state.js";

/** The channels a client talks on (heartbeat is separate: see `KernelClient.heartbeat`). */
export type Channel = "shell" | "iopub" | "stdin" | "control";

/** A verified Jupyter message (messaging spec v5) and the channel it came on. */
export interface JupyterMessage {
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
  channel: Channel;
}

/** Options of `KernelClient.start`. */
export interface StartOptions {
  /** Kernel argv; `{connection_file}` is replaced by the connection file's path. Default: this repo's gradlab kernel. */
  argv?: string[];
  cwd?: string;
  /** Extra environment variables for the kernel process (merged over `process.env`). */
  env?: Record<string, string | undefined>;
  /** How long to wait for the first kernel_info_reply (default 30 s). */
  startupTimeoutMs?: number;
  /** The kernelspec's interrupt_mode (default "signal"). */
  interruptMode?: "signal" | "message";
}

/** Options of `KernelClient.execute`. */
export interface ExecuteOptions {
  /** Give up (and interrupt the kernel) after this long; default: wait forever. */
  timeoutMs?: number;
  silent?: boolean;
  storeHistory?: boolean;
  allowStdin?: boolean;
  /**
   * Ask the kernel to abort requests queued behind this one if it fails (default true). `false`
   * is what nbclient sends when errors are allowed: ipykernel would otherwise also abort requests
   * arriving shortly after an error.
   */
  stopOnError?: boolean;
  /** Answers `input_request`s when `allowStdin` is set (default: answers ""). */
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
  /** Called after every iopub message that changed the outputs (live progress). */
  onOutput?: (outputs: readonly NotebookOutput[]) => void;
  /** Share one registry across a notebook's cells so update_display_data reaches earlier cells. */
  displays?: DisplayRegistry;
  /** The notebook's widget models (kernel comm messages of the cell update them). */
  widgets?: WidgetStates;
}

/** What `KernelClient.execute` returns. */
export interface ExecuteResult {
  status: "ok" | "error" | "aborted";
  executionCount: number | null;
  /** nbformat v4 outputs of the cell. */
  outputs: NotebookOutput[];
  /** The execute_reply content. */
  reply: Record<string, unknown>;
  error?: CellError;
}

/** Thrown by `KernelClient.execute` when `timeoutMs` elapses; the kernel has been interrupted. */
export class ExecuteTimeoutError extends Error {
  override name = "ExecuteTimeoutError";
}

/** `n` distinct free loopback ports (all held open together, then released, as jupyter_client does). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = Array.from({ length: n }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (srv) =>
        new Promise<number>((ok, fail) => {
          srv.on("error", fail);
          srv.listen(0, "127.0.0.1", () => ok((srv.address() as { port: number }).port));
        }),
    ),
  );
  await Promise.all(servers.map((srv) => new Promise((ok) => srv.close(ok))));
  return ports;
}

/** Resolves after `ms`, without keeping the process alive meanwhile. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}

/** A deferred promise with its resolve/reject. */
export function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}
