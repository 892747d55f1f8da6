/**
 * @file The protocol process: ZeroMQ sockets, signature checks, heartbeat and every shell and
 * control request. Code runs in the executor child (see kernel/protocol/host.ts), so this
 * process answers kernel_info, heartbeat and interrupts even while a cell blocks its loop.
 */
import { randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import { History, type HistoryQuery } from "./history.js";
import { ExecutorHost, type Done, type OutputHandler } from "./host.js";
import { isCompleteReply } from "./is-complete.js";
import { decode, encode, makeMessage, Signer, WireError, type Message } from "./wire.js";
import { kernelInfo } from "./info.js";
import { lowerRunPriority, runNice } from "./priority.js";

/** A Jupyter connection file. */
export interface ConnectionInfo {
  transport: string;
  ip: string;
  key: string;
  signature_scheme?: string;
  shell_port: number;
  iopub_port: number;
  control_port: number;
  stdin_port: number;
  hb_port: number;
}

type Sock = zmq.Router | zmq.Publisher;

/**
 * One running kernel.
 *
 * @example
 * const server = new KernelServer(JSON.parse(readFileSync(file, "utf8")));
 * await server.start();
 */
export class KernelServer {
  private readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly shell = new zmq.Router();
  private readonly control = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  private readonly hb = new zmq.Reply();
  private readonly sendQueues = new Map<Sock, Promise<void>>();
  private readonly host = new ExecutorHost();
  private readonly history = new History();
  private executionCount = 0;
  /** Shell requests that need the executor, run one at a time in arrival order. */
  private readonly queue: Message[] = [];
  private draining = false;
  private closed = false;
  private readonly closeListeners: (() => void)[] = [];
  /**
   * The open comms (id -> target name), for comm_info: kept here from the comm messages that pass
   * both ways, so comm_info is answered at once even while a cell blocks the executor.
   */
  private readonly comms = new Map<string, string>();
  /** The autogroup nice value for cells after the first (priority.ts). */
  private runNice = 0;
  /** Whether the executor has answered a cell since it started. */
  private startedUpExecutor = false;

  constructor(
    private readonly conn: ConnectionInfo,
    private readonly log: (line: string) => void = (l) => process.stderr.write(l + "\n"),
  ) {
    this.signer = new Signer(conn.key, conn.signature_scheme);
    // A new executor has none of the old one's comms.
    this.host.onRespawn = () => {
      this.comms.clear();
      this.startedUpExecutor = false;
    };
    try {
      this.runNice = runNice(process.env);
    } catch (e) {
      this.log(`gradlab: ${(e as Error).message}; cells keep the kernel's priority`);
    }
  }

  /** Bind every socket to the connection file's address and serve until shutdown. */
  async start(): Promise<void> {
    const addr = (port: number) => `${this.conn.transport}://${this.conn.ip}:${port}`;
    await Promise.all([
      this.shell.bind(addr(this.conn.shell_port)),
      this.control.bind(addr(this.conn.control_port)),
      this.stdin.bind(addr(this.conn.stdin_port)),
      this.iopub.bind(addr(this.conn.iopub_port)),
      this.hb.bind(addr(this.conn.hb_port)),
    ]);
    void this.serve(this.shell, (m) => this.onShell(m));
    void this.serve(this.control, (m) => this.onControl(m));
    void (async () => {
      for await (const frames of this.hb) await this.hb.send(frames).catch(() => undefined);
    })().catch(() => undefined);
    this.publish("status", { execution_state: "starting" });
  }

  private async serve(sock: zmq.Router, handle: (m: Message) => Promise<void> | void): Promise<void> {
    try {
      for await (const frames of sock) {
        let msg: Message;
        try {
          msg = decode(frames, this.signer);
        } catch (e) {
          // A bad signature or malformed message is dropped (never answered) and logged.
          if (e instanceof WireError) this.log(`gradlab: dropped message: ${e.message}`);
          else throw e;
          continue;
        }
        void Promise.resolve(handle(msg)).catch((e: unknown) =>
          this.log(`gradlab: error handling ${msg.header.msg_type}: ${(e as Error).stack ?? e}`),
        );
      }
    } catch (e) {
      if (!this.closed) this.log(`gradlab: socket loop ended: ${(e as Error).message}`);
    }
  }

  private send(sock: Sock, msg: Message): void {
    const frames = encode(msg, this.signer);
    const prev = this.sendQueues.get(sock) ?? Promise.resolve();
    const next = prev.then(() => sock.send(frames)).catch((e: unknown) => this.log(`gradlab: send failed: ${(e as Error).message}`));
    this.sendQueues.set(sock, next);
  }

  private publish(
    msgType: string,
    content: Record<string, unknown>,
    parent?: Message,
    metadata: Record<string, unknown> = {},
    buffers: Buffer[] = [],
  ): void {
    const msg = makeMessage(msgType, content, this.session, parent, [Buffer.from(`kernel.${msgType}`)]);
    msg.metadata = metadata;
    msg.buffers = buffers;
    this.send(this.iopub, msg);
  }

  private reply(sock: zmq.Router, parent: Message, msgType: string, content: Record<string, unknown>): void {
    this.send(sock, makeMessage(msgType, content, this.session, parent));
  }

  /** Publish busy, run `fn`, publish idle (every request, as ipykernel does). */
  private async busy(parent: Message, fn: () => Promise<void> | void): Promise<void> {
    this.publish("status", { execution_state: "busy" }, parent);
    try {
      await fn();
    } finally {
      this.publish("status", { execution_state: "idle" }, parent);
    }
  }

  private onShell(msg: Message): Promise<void> | void {
    const type = msg.header.msg_type;
    switch (type) {
      case "execute_request":
      case "complete_request":
      case "inspect_request":
        this.queue.push(msg);
        void this.drain();
        return;
      case "shutdown_request":
      case "interrupt_request":
        return this.onControl(msg, this.shell);
      case "comm_open":
      case "comm_msg":
      case "comm_close":
        return this.onComm(msg, type);
    }
    return this.busy(msg, () => {
      const c = msg.content;
      if (type === "kernel_info_request") this.reply(this.shell, msg, "kernel_info_reply", kernelInfo(this.host.limits));
      else if (type === "is_complete_request") this.reply(this.shell, msg, "is_complete_reply", isCompleteReply(String(c.code ?? "")));
      else if (type === "comm_info_request")
        this.reply(this.shell, msg, "comm_info_reply", { status: "ok", comms: this.commInfo(c.target_name) });
      else if (type === "history_request")
        this.reply(this.shell, msg, "history_reply", { status: "ok", history: this.history.query(c as HistoryQuery) });
      else this.log(`gradlab: ignored unknown shell request ${JSON.stringify(type)}`);
    });
  }

  /**
   * A comm message of the front end: straight to the executor (not behind queued cells, so it is
   * handled while a cell awaits), in arrival order, with busy/idle around it as ipykernel does.
   * What its handler outputs is parented to it.
   */
  private onComm(msg: Message, type: "comm_open" | "comm_msg" | "comm_close"): Promise<void> {
    const c = msg.content;
    const commId = typeof c.comm_id === "string" ? c.comm_id : "";
    if (type === "comm_open" && commId) this.comms.set(commId, String(c.target_name ?? ""));
    if (type === "comm_close") this.comms.delete(commId);
    const buffers = msg.buffers.map((b) => b.toString("base64"));
    return this.busy(msg, () =>
      this.host.comm({ msgType: type, content: c, metadata: msg.metadata, buffers }, (out) =>
        this.forward(out, msg, this.executionCount, false),
      ),
    );
  }

  /** comm_info_reply's `comms`: every open comm, or those of one target. */
  private commInfo(target: unknown): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const [id, name] of this.comms) if (typeof target !== "string" || target === name) out[id] = { target_name: name };
    return out;
  }

  private onControl(msg: Message, sock: zmq.Router = this.control): Promise<void> {
    const type = msg.header.msg_type;
    return this.busy(msg, () => {
      if (type === "interrupt_request") {
        this.host.interrupt();
        this.reply(sock, msg, "interrupt_reply", { status: "ok" });
      } else if (type === "shutdown_request") {
        const restart = msg.content.restart === true;
        this.reply(sock, msg, "shutdown_reply", { status: "ok", restart });
        // The client starts a new kernel process for a restart; this one exits either way.
        setTimeout(() => void this.close(), 50);
      } else if (type === "kernel_info_request") {
        this.reply(sock, msg, "kernel_info_reply", kernelInfo(this.host.limits));
      } else {
        this.log(`gradlab: ignored unknown control request ${JSON.stringify(type)}`);
      }
    });
  }

  /** Forward SIGINT (interrupt_mode "signal") to the executor. */
  interrupt(): void {
    this.host.interrupt();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let msg = this.queue.shift(); msg; msg = this.queue.shift()) {
        const m = msg;
        await this.busy(m, () => this.runQueued(m));
      }
    } finally {
      this.draining = false;
    }
  }

  private async runQueued(msg: Message): Promise<void> {
    const c = msg.content;
    const type = msg.header.msg_type;
    const code = String(c.code ?? "");
    if (type === "complete_request" || type === "inspect_request") {
      const cursor = typeof c.cursor_pos === "number" ? c.cursor_pos : code.length;
      const done = await this.host.request(
        type === "complete_request"
          ? { type: "complete", code, cursor }
          : { type: "inspect", code, cursor, detail: Number(c.detail_level ?? 0) },
      );
      const replyType = type === "complete_request" ? "complete_reply" : "inspect_reply";
      this.reply(this.shell, msg, replyType, done.ok ? { status: "ok", ...done.reply } : { status: "error", ...done.error });
      return;
    }
    await this.execute(msg, code);
  }

  private async execute(msg: Message, code: string): Promise<void> {
    const c = msg.content;
    const silent = c.silent === true;
    const store = !silent && c.store_history !== false;
    if (store) this.executionCount++;
    const count = this.executionCount;
    if (!silent) this.publish("execute_input", { code, execution_count: count }, msg);
    if (store) this.history.add(count, code);
    const done: Done = await this.host.request({ type: "execute", code, executionCount: count, silent }, (out) =>
      this.forward(out, msg, count, silent),
    );
    if (done.ok) {
      this.reply(this.shell, msg, "execute_reply", {
        status: "ok",
        execution_count: count,
        user_expressions: {},
        payload: done.reply.payload ?? [],
      });
      if (!silent) this.startedUp();
      return;
    }
    if (!silent) this.publish("error", { ...done.error }, msg);
    this.reply(this.shell, msg, "execute_reply", {
      status: "error",
      execution_count: count,
      ...done.error,
      user_expressions: {},
      payload: [],
    });
    if (!silent) this.startedUp();
    if (c.stop_on_error !== false) this.abortQueued();
  }

  /** After the first (not silent) cell's result: the cells after it give way to kernels still starting (priority.ts). */
  private startedUp(): void {
    if (this.startedUpExecutor) return;
    this.startedUpExecutor = true;
    const nice = this.runNice;
    const executor = this.host.executorPid;
    if (nice === 0 || executor === undefined) return;
    void Promise.all([lowerRunPriority(nice, process.pid), lowerRunPriority(nice, executor)]).then(([own, exec]) =>
      this.log(`gradlab: cells after the first at autogroup nice ${nice}: kernel ${own}, executor ${exec}`),
    );
  }

  /** After an error, answer the execute requests that were ALREADY queued with "aborted" (ipykernel's stop_on_error). */
  private abortQueued(): void {
    const aborted = this.queue.filter((m) => m.header.msg_type === "execute_request");
    this.queue.splice(0, this.queue.length, ...this.queue.filter((m) => m.header.msg_type !== "execute_request"));
    for (const m of aborted) {
      this.publish("status", { execution_state: "busy" }, m);
      this.reply(this.shell, m, "execute_reply", { status: "aborted", execution_count: null, user_expressions: {}, payload: [] });
      this.publish("status", { execution_state: "idle" }, m);
    }
  }

  private forward(out: Parameters<OutputHandler>[0], parent: Message, count: number, silent: boolean): void {
    if (silent && out.type !== "display" && out.type !== "comm") return;
    const o = out;
    if (o.type === "comm") {
      const id = String(o.content.comm_id);
      if (o.msgType === "comm_open") this.comms.set(id, String(o.content.target_name));
      else if (o.msgType === "comm_close") this.comms.delete(id);
      this.publish(
        o.msgType,
        o.content,
        parent,
        o.metadata,
        o.buffers.map((b) => Buffer.from(b, "base64")),
      );
    } else if (o.type === "stream") this.publish("stream", { name: o.name, text: o.text }, parent);
    else if (o.type === "clear") this.publish("clear_output", { wait: o.wait }, parent);
    else if (o.type === "result") {
      this.publish("execute_result", { execution_count: count, data: o.data, metadata: o.metadata }, parent);
      const text = o.data["text/plain"];
      if (typeof text === "string") this.history.setOutput(count, text);
    } else if (o.type === "display") {
      const transient = o.displayId ? { display_id: o.displayId } : {};
      this.publish(o.update ? "update_display_data" : "display_data", { data: o.data, metadata: o.metadata, transient }, parent);
    }
  }

  /** Close sockets and the executor; the process then exits. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.host.stop();
    await Promise.all([...this.sendQueues.values()]);
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) s.close();
    for (const cb of this.closeListeners) cb();
  }

  /** Call `cb` once the kernel has shut down. */
  onClose(cb: () => void): void {
    this.closeListeners.push(cb);
  }
}
