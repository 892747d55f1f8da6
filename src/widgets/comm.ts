/**
 * @file The comm layer a kernel offers to the library (Jupyter's comm protocol: comm_open,
 * comm_msg, comm_close). gradlab's kernel installs one at `globalThis[Symbol.for("gradlab.comms")]`
 * (kernel/engine/comms.ts); in plain Node there is none, and widgets then only hold their values.
 */

/** JSON-like data carried by comm messages. */
export type CommData = Record<string, unknown>;

/** One comm message as a handler sees it (the `content`, `metadata` and binary buffers of the Jupyter message). */
export interface CommMessage {
  content: { comm_id: string; data: CommData; target_name?: string; target_module?: string | null };
  metadata: Record<string, unknown>;
  buffers: Uint8Array[];
}

/** One end of a comm. */
export interface Comm {
  readonly commId: string;
  readonly targetName: string;
  /** Send a comm_msg to the front end. */
  send(data: CommData, metadata?: Record<string, unknown>, buffers?: Uint8Array[]): void;
  /** Send comm_close to the front end (once) and forget the comm. */
  close(data?: CommData, metadata?: Record<string, unknown>): void;
  /** Called for each comm_msg from the front end. */
  onMsg: ((msg: CommMessage) => void | Promise<void>) | undefined;
  /** Called when the front end closes the comm. */
  onClose: ((msg: CommMessage) => void | Promise<void>) | undefined;
}

/** Called when the front end opens a comm to a registered target. */
export type CommTargetHandler = (comm: Comm, msg: CommMessage) => void | Promise<void>;

/** What a kernel with comms offers to libraries. */
export interface CommLayer {
  /** Accept comm_open from the front end for `target` (a second registration replaces the first). */
  registerTarget(target: string, handler: CommTargetHandler): void;
  unregisterTarget(target: string): void;
  /** Open a comm from the kernel (sends comm_open with `data` and `metadata`). */
  open(target: string, data: CommData, metadata?: Record<string, unknown>, buffers?: Uint8Array[]): Comm;
}

/** The global slot where a kernel installs its {@link CommLayer}. */
export const COMM_LAYER = Symbol.for("gradlab.comms");

/**
 * The kernel's comm layer, or undefined outside a kernel with comms (plain Node).
 *
 * @example
 * kernelComms()?.registerTarget("echo", (comm) => { comm.onMsg = (m) => comm.send(m.content.data); });
 */
export function kernelComms(): CommLayer | undefined {
  return (globalThis as { [COMM_LAYER]?: CommLayer })[COMM_LAYER];
}
