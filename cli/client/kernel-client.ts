/** @file A Jupyter kernel client over ZeroMQ, as jupyter_client does it: connection file, kernel process, five channels, HMAC-signed messages. */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Dealer, Request, Subscriber } from "zeromq";
import { kernelArgv } from "../../kernel/kernelspec.js";
import { decode, encode, makeMessage, Signer, WireError } from "../../kernel/protocol/wire.js";
import { OutputCollector } from "./outputs.js";
import {
  deferred,
  ExecuteTimeoutError,
  freePorts,
  sleep,
  type Channel,
  type ExecuteOptions,
  type ExecuteResult,
  type JupyterMessage,
  type StartOptions,
} from "./messages.js";

/**
 * A client for one kernel process it launched itself.
 *
 * @example
 * const kc = await KernelClient.start({ argv: ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"] });
 * const r = await kc.execute("1 + 1");
 * r.outputs; // [{ output_type: "execute_result", data: { "text/plain": "2" }, ... }]
 * await kc.close();
 */
/** How many times a kernel is started on fresh ports when one of its ports was taken. */
const PORT_ATTEMPTS = 3;

/** The kernel exited at start-up because a port of its connection file was taken. */
class PortTakenError extends Error {}

export class KernelClient {
  /** The parsed kernel_info_reply content received at start-up. */
  kernelInfo: Record<string, unknown> = {};
  /** Messages dropped because their signature did not verify (or their frames were malformed). */
  badSignatures = 0;
  readonly session = randomUUID();
  private readonly signer: Signer;
  private proc: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  /** Resolves when the kernel process has exited and every process holding its stdout/stderr closed them. */
  pipesClosed: Promise<void> = Promise.resolve();
  private stderrTail = "";
  private readonly sockets: Record<Channel, Dealer | Subscriber>;
  private readonly sendQueues = new Map<Channel, Promise<unknown>>();
  private readonly pending = new Map<string, (m: JupyterMessage) => void>();
  private readonly hooks = new Map<Channel, Set<(m: JupyterMessage) => void>>();
  private closed = false;

  private constructor(
    readonly connectionFile: string,
    readonly connection: Record<string, string | number>,
    private readonly options: StartOptions,
  ) {
    this.signer = new Signer(String(connection.key), String(connection.signature_scheme));
    const addr = (c: string) => `tcp://${connection.ip}:${connection[`${c}_port`]}`;
    // Shell and stdin share one identity: the kernel routes input_request to the shell requester's id.
    const shell = new Dealer({ linger: 0, routingId: this.session });
    const control = new Dealer({ linger: 0 });
    const stdin = new Dealer({ linger: 0, routingId: this.session });
    const iopub = new Subscriber({ linger: 0 });
    iopub.subscribe();
    shell.connect(addr("shell"));
    control.connect(addr("control"));
    stdin.connect(addr("stdin"));
    iopub.connect(addr("iopub"));
    this.sockets = { shell, control, stdin, iopub };
    for (const ch of Object.keys(this.sockets) as Channel[]) void this.receiveLoop(ch);
  }

  /**
   * Writes a connection file, launches the kernel and waits until it answers kernel_info and iopub is live.
   *
   * @example
   * const kc = await KernelClient.start(); // the gradlab kernel of this repo
   */
  static async start(options: StartOptions = {}): Promise<KernelClient> {
    // The ports are chosen free, then bound by the kernel: another process may take one in
    // between. The kernel then exits saying so, and a kernel on other ports is started.
    for (let attempt = 1; ; attempt++) {
      try {
        return await KernelClient.startOnce(options);
      } catch (e) {
        if (!(e instanceof PortTakenError) || attempt === PORT_ATTEMPTS) throw e;
      }
    }
  }

  private static async startOnce(options: StartOptions): Promise<KernelClient> {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-client-"));
    const ports = await freePorts(5);
    const connection = {
      transport: "tcp",
      ip: "127.0.0.1",
      shell_port: ports[0],
      iopub_port: ports[1],
      stdin_port: ports[2],
      control_port: ports[3],
      hb_port: ports[4],
      key: randomBytes(32).toString("hex"),
      signature_scheme: "hmac-sha256",
      kernel_name: "",
    };
    const file = join(dir, "kernel.json");
    writeFileSync(file, JSON.stringify(connection, null, 2), { mode: 0o600 });
    const kc = new KernelClient(file, connection, options);
    try {
      kc.launch();
      await kc.waitForReady(options.startupTimeoutMs ?? 30_000);
    } catch (e) {
      await kc.close();
      throw /EADDRINUSE|Address already in use/.test(kc.log) ? new PortTakenError((e as Error).message) : e;
    }
    return kc;
  }

  /** The last 4000 characters the kernel process wrote to stdout and stderr (its log). */
  get log(): string {
    return this.stderrTail;
  }

  /** The kernel process id (undefined once it has exited). */
  get pid(): number | undefined {
    return this.proc?.exitCode === null ? this.proc.pid : undefined;
  }

  private launch(): void {
    const argv = (this.options.argv ?? kernelArgv()).map((a) => a.replaceAll("{connection_file}", this.connectionFile));
    if (argv.length === 0) throw new Error("KernelClient.start: expected a non-empty argv, got []");
    const proc = spawn(argv[0], argv.slice(1), {
      cwd: this.options.cwd,
      // JPY_PARENT_PID: us, as jupyter_client sets it (an inherited one would name some ancestor).
      env: { ...process.env, JPY_PARENT_PID: String(process.pid), ...this.options.env },
      stdio: ["ignore", "pipe", "pipe"],
      // A process group of its own, as jupyter_client starts kernels (start_new_session): a
      // terminal's Ctrl-C reaches the runner, not the kernel, and the kernel's group can be
      // signalled as a whole. The kernel exits by itself when this process dies (kernel/protocol/main.ts).
      detached: true,
    });
    this.proc = proc;
    this.stderrTail = "";
    const keep = (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-4000));
    proc.stdout?.on("data", keep);
    proc.stderr?.on("data", keep);
    this.pipesClosed = new Promise((ok) => proc.on("close", () => ok()));
    this.exited = new Promise((ok) => {
      proc.on("exit", (code) => ok(code));
      proc.on("error", (e) => {
        this.stderrTail += `\n${e.message}`;
        ok(null);
      });
    });
  }

  /** Like jupyter_client's wait_for_ready: kernel_info until answered, then until iopub carries our status. */
  private async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let died = false;
    void this.exited.then(() => (died = true));
    let iopubLive = false;
    const mine = new Set<string>();
    const off = this.onMessage("iopub", (m) => {
      if (m.header.msg_type === "status" && mine.has(String(m.parent_header.msg_id))) iopubLive = true;
    });
    try {
      let repliedAt: number | undefined;
      // A kernel that never publishes status for kernel_info must not hang us: 2 s after the reply, go on.
      while (!(repliedAt !== undefined && (iopubLive || Date.now() - repliedAt > 2000))) {
        if (died)
          throw new Error(`KernelClient.start: the kernel exited during start-up (code ${this.proc?.exitCode}):\n${this.stderrTail}`);
        if (Date.now() > deadline) throw new Error(`KernelClient.start: no kernel_info_reply within ${timeoutMs} ms:\n${this.stderrTail}`);
        const id = this.send("shell", "kernel_info_request", {});
        mine.add(id);
        const reply = await this.waitReply(id, Math.min(1000, Math.max(1, deadline - Date.now()))).catch(() => undefined);
        if (reply) {
          repliedAt ??= Date.now();
          this.kernelInfo = reply.content;
          for (let i = 0; i < 10 && !iopubLive; i++) await sleep(20);
        }
      }
    } finally {
      off();
    }
  }

  /**
   * Subscribes to every verified message on a channel; returns the unsubscribe function.
   *
   * @example
   * const off = kc.onMessage("iopub", (m) => console.log(m.header.msg_type));
   */
  onMessage(channel: Channel, cb: (m: JupyterMessage) => void): () => void {
    const set = this.hooks.get(channel) ?? new Set();
    this.hooks.set(channel, set);
    set.add(cb);
    return () => set.delete(cb);
  }

  /**
   * Sends a message without waiting for its reply; returns its msg_id. `badSignature` sends a
   * deliberately wrong HMAC (for testing that the kernel drops it); `buffers` are binary frames
   * after the JSON ones (comm messages of widgets).
   *
   * @example
   * kc.send("shell", "kernel_info_request", {}, { badSignature: true });
   */
  send(
    channel: Channel,
    msgType: string,
    content: Record<string, unknown>,
    opts: { badSignature?: boolean; metadata?: Record<string, unknown>; buffers?: Buffer[] } = {},
  ): string {
    if (channel === "iopub") throw new Error(`KernelClient.send: expected shell, control or stdin, got iopub`);
    const msg = makeMessage(msgType, content, this.session);
    msg.header.username = "gradlab";
    if (opts.metadata) msg.metadata = opts.metadata;
    if (opts.buffers) msg.buffers = opts.buffers;
    const frames = encode(msg, this.signer);
    if (opts.badSignature) {
      const at = frames.indexOf("<IDS|MSG>") + 1;
      frames[at] = String(frames[at]).replace(/^./, (c) => (c === "0" ? "1" : "0"));
    }
    const sock = this.sockets[channel] as Dealer;
    const prev = this.sendQueues.get(channel) ?? Promise.resolve();
    // zeromq.js allows one pending send per socket: chain them.
    this.sendQueues.set(
      channel,
      prev.then(() => sock.send(frames)).catch(() => undefined),
    );
    return msg.header.msg_id;
  }

  private async receiveLoop(channel: Channel): Promise<void> {
    try {
      for await (const frames of this.sockets[channel]) {
        const m = this.verify(channel, frames as Buffer[]);
        if (!m) continue;
        for (const cb of this.hooks.get(channel) ?? []) {
          try {
            cb(m);
          } catch (e) {
            process.emitWarning(`KernelClient: an onMessage("${channel}") callback threw: ${(e as Error).message}`);
          }
        }
        const parent = m.parent_header.msg_id;
        if (channel !== "iopub" && parent && this.pending.has(parent)) this.pending.get(parent)!(m);
      }
    } catch (e) {
      // The socket fails only when closed under the loop; anything else must not pass silently.
      if (!this.closed) process.emitWarning(`KernelClient: the ${channel} channel stopped: ${(e as Error).message}`);
    }
  }

  /** Decodes and verifies raw frames; a message that fails verification is counted and dropped. */
  private verify(channel: Channel, frames: Buffer[]): JupyterMessage | undefined {
    try {
      const { header, parent_header, metadata, content, buffers } = decode(frames, this.signer);
      return { header, parent_header, metadata, content, buffers, channel };
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      this.badSignatures++;
      return undefined;
    }
  }

  private waitReply(msgId: string, timeoutMs?: number): Promise<JupyterMessage> {
    const d = deferred<JupyterMessage>();
    this.pending.set(msgId, (m) => {
      if (m.channel === "stdin") return;
      this.pending.delete(msgId);
      d.resolve(m);
    });
    if (timeoutMs === undefined) return d.promise;
    const t = setTimeout(() => {
      this.pending.delete(msgId);
      d.reject(new Error(`KernelClient: no reply to ${msgId} within ${timeoutMs} ms`));
    }, timeoutMs);
    return d.promise.finally(() => clearTimeout(t));
  }

  /**
   * Sends a request and resolves with its reply message.
   *
   * @example
   * const r = await kc.request("shell", "is_complete_request", { code: "let y = " });
   * r.content.status; // "incomplete" or "invalid"
   */
  async request(channel: Channel, msgType: string, content: Record<string, unknown>, timeoutMs = 30_000): Promise<JupyterMessage> {
    const id = this.send(channel, msgType, content);
    return this.waitReply(id, timeoutMs);
  }

  /**
   * Runs code and collects its nbformat outputs until the reply has come and iopub went idle.
   *
   * @example
   * const r = await kc.execute("console.log('hi')");
   * r.outputs[0]; // { output_type: "stream", name: "stdout", text: "hi\n" }
   */
  async execute(code: string, opts: ExecuteOptions = {}): Promise<ExecuteResult> {
    const collector = new OutputCollector(opts.displays, opts.widgets);
    let msgId = "";
    const idle = deferred<void>();
    const offIopub = this.onMessage("iopub", (m) => {
      if (m.parent_header.msg_id !== msgId) return;
      if (m.header.msg_type === "status" && m.content.execution_state === "idle") idle.resolve();
      else if (collector.add(m.header.msg_type, m.content)) opts.onOutput?.(collector.outputs);
    });
    const offStdin = this.onMessage("stdin", (m) => {
      if (m.parent_header.msg_id !== msgId || m.header.msg_type !== "input_request") return;
      const answer = opts.onInput?.(String(m.content.prompt ?? ""), Boolean(m.content.password)) ?? "";
      void Promise.resolve(answer).then((value) => this.send("stdin", "input_reply", { value }));
    });
    try {
      msgId = this.send("shell", "execute_request", {
        code,
        silent: opts.silent ?? false,
        store_history: opts.storeHistory ?? !(opts.silent ?? false),
        user_expressions: {},
        allow_stdin: opts.allowStdin ?? false,
        stop_on_error: opts.stopOnError ?? true,
      });
      const done = Promise.all([this.waitReply(msgId), idle.promise]);
      const died = this.exited.then((code) => {
        throw new Error(`execute: the kernel died (exit code ${code}) while running the cell:\n${this.stderrTail}`);
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout =
        opts.timeoutMs === undefined
          ? new Promise<never>(() => {})
          : new Promise<never>((_, fail) => {
              timer = setTimeout(() => fail(new ExecuteTimeoutError(`execute: no reply within ${opts.timeoutMs} ms`)), opts.timeoutMs);
            });
      let reply: JupyterMessage;
      try {
        [reply] = await Promise.race([done, died, timeout]);
      } catch (e) {
        if (e instanceof ExecuteTimeoutError) {
          // Leave the kernel idle before reporting, so the next request is not aborted with this cell.
          await this.interrupt().catch(() => undefined);
          await Promise.race([done, died, sleep(5000)]).catch(() => undefined);
        }
        this.pending.delete(msgId);
        throw e;
      } finally {
        clearTimeout(timer);
      }
      const status = reply.content.status === "ok" ? "ok" : reply.content.status === "aborted" ? "aborted" : "error";
      const count = typeof reply.content.execution_count === "number" ? reply.content.execution_count : collector.executionCount;
      let error = collector.error;
      if (status === "error" && !error) {
        error = {
          ename: String(reply.content.ename ?? "Error"),
          evalue: String(reply.content.evalue ?? ""),
          traceback: Array.isArray(reply.content.traceback) ? reply.content.traceback.map(String) : [],
        };
      }
      return { status, executionCount: count, outputs: collector.outputs, reply: reply.content, ...(error ? { error } : {}) };
    } finally {
      offIopub();
      offStdin();
    }
  }

  /**
   * Interrupts the running cell: SIGINT, or an interrupt_request on control when the kernelspec says "message".
   *
   * @example
   * const running = kc.execute("while (true) {}");
   * await kc.interrupt();
   * (await running).status; // "error"
   */
  async interrupt(): Promise<void> {
    if (this.options.interruptMode === "message") {
      await this.request("control", "interrupt_request", {}, 10_000);
    } else if (this.pid !== undefined) {
      process.kill(this.pid, "SIGINT");
    }
  }

  /**
   * Pings the heartbeat channel; true when the kernel echoes within the timeout.
   *
   * @example
   * await kc.heartbeat(); // true
   */
  async heartbeat(timeoutMs = 2000): Promise<boolean> {
    const req = new Request({ linger: 0, receiveTimeout: timeoutMs });
    req.connect(`tcp://${this.connection.ip}:${this.connection.hb_port}`);
    try {
      await req.send("ping");
      const [echo] = await req.receive();
      return echo.toString() === "ping";
    } catch {
      return false;
    } finally {
      req.close();
    }
  }

  /**
   * Asks the kernel to shut down (on control). With `restart`, launches it again on the same
   * connection file and waits until it is ready, as jupyter_client's restart_kernel does.
   *
   * @example
   * await kc.shutdown({ restart: true }); // fresh state, same client
   */
  async shutdown(opts: { restart?: boolean; timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const reply = await this.request("control", "shutdown_request", { restart: opts.restart ?? false }, timeoutMs);
    await this.waitExit(timeoutMs);
    if (opts.restart && !this.closed) {
      this.launch();
      await this.waitForReady(this.options.startupTimeoutMs ?? 30_000);
    }
    return reply.content;
  }

  private async waitExit(timeoutMs: number): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const t = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    await this.exited;
    clearTimeout(t);
  }

  /**
   * Shuts the kernel down if it still runs (killing it if it does not answer), closes the sockets
   * and removes the connection file.
   *
   * @example
   * await kc.close();
   */
  async close(): Promise<void> {
    if (this.closed) return;
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      await this.request("control", "shutdown_request", { restart: false }, 3000).catch(() => undefined);
      await this.waitExit(3000);
    }
    this.closed = true;
    for (const s of Object.values(this.sockets)) s.close();
    rmSync(dirname(this.connectionFile), { recursive: true, force: true });
  }
}
