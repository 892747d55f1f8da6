/**
 * @file A reference floor for `npm run bench:kernel`, not product code: the least a Jupyter
 * kernel in Node can do per cell. It answers kernel_info and execute requests with the same
 * messages gradlab sends (status busy, execute_input, execute_result, execute_reply, status
 * idle), signed by gradlab's own wire code, over the same zeromq package, and runs nothing:
 * a cell starting with `1+1` shows `2`, any other shows nothing. What the bench measures for it
 * is what jupyter_client, ZeroMQ and the message set cost on this machine.
 *
 * Usage (as a kernelspec's argv): node dist/bench/echo-kernel.js <connection-file>
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import * as zmq from "zeromq";
import type { ConnectionInfo } from "../kernel/protocol/server.js";
import { decode, encode, makeMessage, Signer, type Message } from "../kernel/protocol/wire.js";

const INFO = {
  status: "ok",
  protocol_version: "5.3",
  implementation: "echo",
  implementation_version: "0",
  language_info: { name: "typescript", version: "5", mimetype: "text/typescript", file_extension: ".ts" },
  banner: "echo kernel (bench floor)",
};

async function main(file: string): Promise<void> {
  const conn = JSON.parse(readFileSync(file, "utf8")) as ConnectionInfo;
  const signer = new Signer(conn.key, conn.signature_scheme);
  const session = randomUUID();
  const addr = (port: number) => `${conn.transport}://${conn.ip}:${port}`;
  const shell = new zmq.Router();
  const control = new zmq.Router();
  const iopub = new zmq.Publisher();
  const hb = new zmq.Reply();
  await Promise.all([
    shell.bind(addr(conn.shell_port)),
    control.bind(addr(conn.control_port)),
    iopub.bind(addr(conn.iopub_port)),
    hb.bind(addr(conn.hb_port)),
  ]);
  let count = 0;
  const publish = (type: string, content: Record<string, unknown>, parent?: Message) =>
    iopub.send(encode(makeMessage(type, content, session, parent, [Buffer.from(`kernel.${type}`)]), signer));
  const handle = async (sock: zmq.Router, msg: Message) => {
    const type = msg.header.msg_type;
    await publish("status", { execution_state: "busy" }, msg);
    if (type === "kernel_info_request") {
      await sock.send(encode(makeMessage("kernel_info_reply", INFO, session, msg), signer));
    } else if (type === "execute_request") {
      const code = String(msg.content.code ?? "");
      count++;
      await publish("execute_input", { code, execution_count: count }, msg);
      if (code.startsWith("1+1"))
        await publish("execute_result", { execution_count: count, data: { "text/plain": "2" }, metadata: {} }, msg);
      await sock.send(
        encode(
          makeMessage("execute_reply", { status: "ok", execution_count: count, user_expressions: {}, payload: [] }, session, msg),
          signer,
        ),
      );
    } else if (type === "shutdown_request") {
      await sock.send(encode(makeMessage("shutdown_reply", { status: "ok", restart: false }, session, msg), signer));
      setTimeout(() => process.exit(0), 20);
    }
    await publish("status", { execution_state: "idle" }, msg);
  };
  const serve = async (sock: zmq.Router) => {
    for await (const frames of sock) await handle(sock, decode(frames, signer));
  };
  void (async () => {
    for await (const frames of hb) await hb.send(frames);
  })();
  await publish("status", { execution_state: "starting" }).catch(() => undefined);
  await Promise.all([serve(shell), serve(control)]);
}

main(process.argv[2] ?? "").catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
