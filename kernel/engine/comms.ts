/**
 * @file The executor's comm layer (Jupyter's comm protocol, as ipykernel's CommManager): targets a
 * library registers, comms opened from either side, and the messages of the front end dispatched
 * to their handlers. serve.ts installs it at `globalThis[Symbol.for("gradlab.comms")]` and feeds it
 * the front end's messages in arrival order, on this event loop, whether or not a cell runs.
 */
import { randomUUID } from "node:crypto";
import type { Comm, CommData, CommLayer, CommMessage, CommTargetHandler } from "../../src/widgets/comm.js";

/** The comm messages of the Jupyter protocol. */
export type CommMsgType = "comm_open" | "comm_msg" | "comm_close";

/** Where the kernel's own comm messages go (serve.ts forwards them to iopub). */
export type CommSend = (
  msgType: CommMsgType,
  content: Record<string, unknown>,
  metadata: Record<string, unknown>,
  buffers: Uint8Array[],
) => void;

/** An error thrown by a comm handler of the notebook or a library (shown, never fatal). */
export class CommHandlerError extends Error {
  override name = "CommHandlerError";
}

class KernelComm implements Comm {
  onMsg: Comm["onMsg"] = undefined;
  onClose: Comm["onClose"] = undefined;
  closed = false;

  constructor(
    readonly commId: string,
    readonly targetName: string,
    private readonly manager: CommManager,
    private readonly sendRaw: CommSend,
  ) {}

  send(data: CommData, metadata: Record<string, unknown> = {}, buffers: Uint8Array[] = []): void {
    if (this.closed) throw new Error(`comm.send: the comm ${this.commId} (target "${this.targetName}") is closed; open a new one`);
    this.sendRaw("comm_msg", { comm_id: this.commId, data }, metadata, buffers);
  }

  close(data: CommData = {}, metadata: Record<string, unknown> = {}): void {
    if (this.closed) return;
    this.closed = true;
    this.manager.forget(this.commId);
    this.sendRaw("comm_close", { comm_id: this.commId, data }, metadata, []);
  }
}

/**
 * The comms of one executor.
 *
 * @example
 * const comms = new CommManager(send, log);
 * comms.registerTarget("echo", (comm) => { comm.onMsg = (m) => comm.send(m.content.data); });
 * await comms.receive("comm_open", { comm_id: "c1", target_name: "echo", data: {} }, {}, []);
 */
export class CommManager implements CommLayer {
  private readonly targets = new Map<string, CommTargetHandler>();
  private readonly comms = new Map<string, KernelComm>();

  constructor(
    private readonly sendRaw: CommSend,
    private readonly log: (line: string) => void,
  ) {}

  registerTarget(target: string, handler: CommTargetHandler): void {
    if (typeof target !== "string" || target === "")
      throw new Error(`registerTarget: expected a non-empty target name, got ${JSON.stringify(target)}`);
    if (typeof handler !== "function")
      throw new Error(`registerTarget("${target}"): expected a handler function (comm, msg) => void, got ${typeof handler}`);
    this.targets.set(target, handler);
  }

  unregisterTarget(target: string): void {
    this.targets.delete(target);
  }

  open(target: string, data: CommData, metadata: Record<string, unknown> = {}, buffers: Uint8Array[] = []): Comm {
    if (typeof target !== "string" || target === "")
      throw new Error(`comms.open: expected a non-empty target name, got ${JSON.stringify(target)}`);
    const comm = new KernelComm(randomUUID().replaceAll("-", ""), target, this, this.sendRaw);
    this.comms.set(comm.commId, comm);
    this.sendRaw("comm_open", { comm_id: comm.commId, target_name: target, data, target_module: null }, metadata, buffers);
    return comm;
  }

  /** Drop a closed comm. */
  forget(commId: string): void {
    this.comms.delete(commId);
  }

  /**
   * Dispatch one message of the front end. A message for an unknown comm or target is logged
   * (and an open to an unknown target closed), as ipykernel does; an error thrown by a handler
   * comes back as {@link CommHandlerError} (the comm stays open, except when its open handler failed).
   */
  async receive(
    msgType: CommMsgType,
    content: Record<string, unknown>,
    metadata: Record<string, unknown>,
    buffers: Uint8Array[],
  ): Promise<void> {
    const commId = content.comm_id;
    if (typeof commId !== "string" || commId === "") {
      this.log(`gradlab: ${msgType} without a comm_id (got ${JSON.stringify(commId)}): ignored`);
      return;
    }
    const data = (typeof content.data === "object" && content.data !== null ? content.data : {}) as CommData;
    const msg: CommMessage = { content: { ...content, comm_id: commId, data } as CommMessage["content"], metadata, buffers };
    if (msgType === "comm_open") {
      const target = String(content.target_name ?? "");
      const comm = new KernelComm(commId, target, this, this.sendRaw);
      this.comms.set(commId, comm);
      const handler = this.targets.get(target);
      if (!handler) {
        this.log(
          `gradlab: comm_open for target "${target}", which no code in the kernel registered (registered: ${[...this.targets.keys()].join(", ") || "none"}); closing the comm`,
        );
        comm.close();
        return;
      }
      try {
        await handler(comm, msg);
      } catch (e) {
        comm.close();
        throw handlerError(e, `the handler of comm target "${target}" failed on comm_open (the comm was closed)`);
      }
      return;
    }
    const comm = this.comms.get(commId);
    if (!comm) {
      this.log(`gradlab: ${msgType} for comm ${commId}, which is not open in the kernel: ignored`);
      return;
    }
    if (msgType === "comm_close") {
      comm.closed = true;
      this.comms.delete(commId);
    }
    const handler = msgType === "comm_msg" ? comm.onMsg : comm.onClose;
    try {
      await handler?.(msg);
    } catch (e) {
      throw handlerError(
        e,
        `the ${msgType === "comm_msg" ? "message" : "close"} handler of comm ${commId} (target "${comm.targetName}") failed`,
      );
    }
  }
}

function handlerError(e: unknown, what: string): CommHandlerError {
  const err = e instanceof Error ? e : new Error(String(e));
  const out = new CommHandlerError(`${what}: ${err.name}: ${err.message}`);
  out.stack = `${out.name}: ${out.message}\n${(err.stack ?? "").split("\n").slice(1).join("\n")}`;
  return out;
}
