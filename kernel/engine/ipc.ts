/**
 * @file The messages a host and the engine exchange: in the Node host between the protocol
 * process and the executor child (Node IPC, JSON), in the browser host between the page and the
 * Web Worker (postMessage). Byte buffers cross in base64 in both.
 */
import type { MimeBundle } from "../../src/display/mime.js";
import type { CommMsgType } from "./comms.js";

/** A comm message as it crosses between host and executor, either way (buffers in base64). */
export interface CommWire {
  type: "comm";
  id: number;
  msgType: CommMsgType;
  content: Record<string, unknown>;
  metadata: Record<string, unknown>;
  buffers: string[];
}

/** Protocol process -> executor. `id` ties every answer to its request. */
export type HostToChild =
  | { type: "execute"; id: number; code: string; executionCount: number; silent: boolean }
  | { type: "complete"; id: number; code: string; cursor: number }
  | { type: "inspect"; id: number; code: string; cursor: number; detail: number }
  /**
   * A comm message of the front end. Not queued behind requests: the executor handles comm
   * messages in arrival order on its event loop, while idle and while a cell awaits.
   */
  | CommWire
  /** Exit through Node's normal path (only when profiling: it writes --cpu-prof/--heap-prof files). */
  | { type: "exit" };

/** The `content` of an iopub `error` message and of an error reply. */
export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Executor -> protocol process. Outputs carry the `id` of the execute request they belong to. */
export type ChildToHost =
  | { type: "ready" }
  | { type: "stream"; id: number; name: "stdout" | "stderr"; text: string }
  | { type: "display"; id: number; data: MimeBundle; metadata: Record<string, unknown>; displayId?: string; update: boolean }
  | { type: "clear"; id: number; wait: boolean }
  | { type: "result"; id: number; data: MimeBundle; metadata: Record<string, unknown> }
  /** A comm message of the kernel, parented to the request or comm message `id`. */
  | CommWire
  /** The front end's comm message `id` has been handled. */
  | { type: "comm-done"; id: number }
  /**
   * `result`: the cell's value, shown (execute_result) before the reply; it comes with `done`, one
   * message fewer per cell (the protocol process hands it on as a `result` output).
   */
  | { type: "done"; id: number; ok: true; reply: Record<string, unknown>; result?: { data: MimeBundle; metadata: Record<string, unknown> } }
  | { type: "done"; id: number; ok: false; error: ErrorContent };

/** A request the engine answers with `done` (kernel/engine/dispatch.ts). */
export type EngineRequest = Extract<HostToChild, { type: "execute" | "complete" | "inspect" }>;
/** A comm message of the front end, answered with `comm-done`. */
export type CommRequest = Extract<HostToChild, { type: "comm" }>;

/** Bytes as base64 (btoa takes one character per byte; chunks keep the argument list short). */
export function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** The bytes of base64 text. */
export const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
