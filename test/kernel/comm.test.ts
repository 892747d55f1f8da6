/** @file The Jupyter comm protocol over ZeroMQ against the real kernel: both directions, comm_info, close, handler errors, messages while a cell awaits. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import type { JupyterMessage } from "../../cli/client/messages.js";
import { logOnceContains, startKernel } from "./helpers.js";

/** How long to wait for one specific message before failing. */
const WAIT_MS = 15_000;

let kc: KernelClient;
beforeAll(async () => {
  kc = await startKernel();
  const setup = await kc.execute(`
import { kernelComms, type Comm } from "gradlab";
const layer = kernelComms()!;
const seen: unknown[] = [];
// An object, not a let: a later cell's assignment to a let does not reach this cell's closures.
const box: { wake?: (v: unknown) => void } = {};
layer.registerTarget("echo", (comm: Comm, open) => {
  comm.send({ opened: open.content.data, meta: open.metadata });
  comm.onMsg = (m) => {
    const d = m.content.data as { boom?: boolean; wake?: unknown; seq?: number };
    if (d.boom) throw new RangeError("handler blew up");
    if (d.wake !== undefined) box.wake?.(d.wake);
    seen.push(d.seq ?? d);
    comm.send({ echo: d, buffers: m.buffers.map((b) => Array.from(b)) });
  };
  comm.onClose = (m) => void seen.push({ closed: comm.commId, data: m.content.data });
});
layer.registerTarget("fails-open", () => { throw new TypeError("cannot open"); });`);
  expect(setup.status, JSON.stringify(setup.error)).toBe("ok");
}, 60_000);
afterAll(async () => {
  await kc?.close();
});

/** The first iopub message (after this call) that matches, or an error after {@link WAIT_MS}. */
function nextIopub(match: (m: JupyterMessage) => boolean, what: string): Promise<JupyterMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error(`no iopub message: ${what}`))), WAIT_MS);
    const off = kc.onMessage("iopub", (m) => {
      if (match(m)) {
        clearTimeout(timer);
        off();
        resolve(m);
      }
    });
  });
}

/** Every iopub message parented to `msgId`, up to and including its idle status. */
function iopubUntilIdle(msgId: () => string): Promise<JupyterMessage[]> {
  const got: JupyterMessage[] = [];
  return nextIopub((m) => {
    if (m.parent_header.msg_id !== msgId()) return false;
    got.push(m);
    return m.header.msg_type === "status" && m.content.execution_state === "idle";
  }, "idle after a comm message").then(() => got);
}

async function commInfo(target?: string): Promise<Record<string, { target_name: string }>> {
  const r = await kc.request("shell", "comm_info_request", target === undefined ? {} : { target_name: target });
  expect(r.content.status).toBe("ok");
  return r.content.comms as Record<string, { target_name: string }>;
}

/** Send a front-end message on shell and collect what the kernel publishes for it. */
async function sendComm(
  type: string,
  content: Record<string, unknown>,
  opts: { metadata?: Record<string, unknown> } = {},
): Promise<JupyterMessage[]> {
  let id = "";
  const done = iopubUntilIdle(() => id);
  id = kc.send("shell", type, content, opts);
  return done;
}

describe("comms opened by the front end", () => {
  it("reaches a registered target with its data and metadata, inside busy/idle, and is listed by comm_info", async () => {
    const msgs = await sendComm(
      "comm_open",
      { comm_id: "fe-1", target_name: "echo", data: { hello: 1 } },
      { metadata: { version: "x.y" } },
    );
    expect(msgs.map((m) => m.header.msg_type)).toEqual(["status", "comm_msg", "status"]);
    expect(msgs[0]!.content).toEqual({ execution_state: "busy" });
    expect(msgs[1]!.content).toEqual({ comm_id: "fe-1", data: { opened: { hello: 1 }, meta: { version: "x.y" } } });
    expect(await commInfo()).toMatchObject({ "fe-1": { target_name: "echo" } });
    expect(await commInfo("echo")).toMatchObject({ "fe-1": { target_name: "echo" } });
    expect(await commInfo("no-such-target")).toEqual({});
  });

  it("delivers messages both ways, in order, with binary buffers", async () => {
    let id = "";
    const done = iopubUntilIdle(() => id);
    id = kc.send("shell", "comm_msg", { comm_id: "fe-1", data: { x: 2 } }, { buffers: [Buffer.from([1, 2, 3])] });
    const msgs = await done;
    expect(msgs.find((m) => m.header.msg_type === "comm_msg")?.content).toEqual({
      comm_id: "fe-1",
      data: { echo: { x: 2 }, buffers: [[1, 2, 3]] },
    });
    // 30 messages sent back to back are handled in the order sent.
    const echoes: number[] = [];
    const off = kc.onMessage("iopub", (m) => {
      const d = m.content.data as { echo?: { seq?: number } } | undefined;
      if (m.header.msg_type === "comm_msg" && typeof d?.echo?.seq === "number") echoes.push(d.echo.seq);
    });
    let last = "";
    const lastDone = iopubUntilIdle(() => last);
    for (let i = 0; i < 30; i++) last = kc.send("shell", "comm_msg", { comm_id: "fe-1", data: { seq: i } });
    await lastDone;
    off();
    expect(echoes).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const r = await kc.execute("seen.filter((s) => typeof s === 'number').join(',')");
    expect(r.outputs).toEqual([expect.objectContaining({ data: { "text/plain": Array.from({ length: 30 }, (_, i) => i).join(",") } })]);
  });

  it("shows an error in a handler as stderr on the comm message, keeps the comm and the kernel", async () => {
    const msgs = await sendComm("comm_msg", { comm_id: "fe-1", data: { boom: true } });
    const err = msgs.find((m) => m.header.msg_type === "stream");
    expect(err?.content.name).toBe("stderr");
    expect(String(err?.content.text)).toContain(
      'CommHandlerError: the message handler of comm fe-1 (target "echo") failed: RangeError: handler blew up',
    );
    expect(await logOnceContains(kc, "handler blew up")).toContain("handler blew up");
    expect(await commInfo()).toHaveProperty("fe-1");
    const after = await sendComm("comm_msg", { comm_id: "fe-1", data: { y: 1 } });
    expect(after.find((m) => m.header.msg_type === "comm_msg")?.content.data).toMatchObject({ echo: { y: 1 } });
    expect((await kc.execute("1 + 1")).outputs).toEqual([expect.objectContaining({ data: { "text/plain": "2" } })]);
  });

  it("is handled while a cell awaits (the cell waits for a value only the comm handler gives it)", async () => {
    const started = nextIopub(
      (m) => m.header.msg_type === "stream" && String(m.content.text).includes("waiting"),
      "the cell's 'waiting' line",
    );
    const cell = kc.execute('const woken = await new Promise<unknown>((r) => { box.wake = r; console.log("waiting"); });\nwoken', {
      timeoutMs: WAIT_MS,
    });
    await started;
    const msgs = await sendComm("comm_msg", { comm_id: "fe-1", data: { wake: "from the front end" } });
    expect(msgs.find((m) => m.header.msg_type === "comm_msg")?.content.data).toMatchObject({ echo: { wake: "from the front end" } });
    const r = await cell;
    expect(r.status).toBe("ok");
    expect(r.outputs.at(-1)).toMatchObject({ output_type: "execute_result", data: { "text/plain": "from the front end" } });
  });

  it("an interrupt stops a comm handler that spins; the comm, the kernel and its state stay", async () => {
    await kc.execute(
      'const spinner = { on: true };\nlayer.registerTarget("spin", (comm: Comm) => { comm.onMsg = () => { while (spinner.on) {} }; });',
    );
    await sendComm("comm_open", { comm_id: "fe-spin", target_name: "spin", data: {} });
    let id = "";
    const done = iopubUntilIdle(() => id);
    const busy = nextIopub((m) => m.parent_header.msg_id === id && m.header.msg_type === "status", "busy for the spinning message");
    id = kc.send("shell", "comm_msg", { comm_id: "fe-spin", data: {} });
    await busy;
    await kc.interrupt();
    const msgs = await done;
    expect(msgs.find((m) => m.header.msg_type === "stream")?.content).toEqual({ name: "stderr", text: "KeyboardInterrupt: Interrupted\n" });
    expect(await commInfo("spin")).toHaveProperty("fe-spin");
    expect((await kc.execute("seen.length > 0")).outputs).toEqual([expect.objectContaining({ data: { "text/plain": "true" } })]);
  });

  it("comm_close from the front end runs the close handler and leaves comm_info", async () => {
    const msgs = await sendComm("comm_close", { comm_id: "fe-1", data: { bye: true } });
    expect(msgs.map((m) => m.header.msg_type)).toEqual(["status", "status"]);
    expect(await commInfo()).not.toHaveProperty("fe-1");
    const r = await kc.execute("JSON.stringify(seen.at(-1))");
    expect(r.outputs).toEqual([expect.objectContaining({ data: { "text/plain": '{"closed":"fe-1","data":{"bye":true}}' } })]);
    // A message to the closed comm is only logged.
    const late = await sendComm("comm_msg", { comm_id: "fe-1", data: {} });
    expect(late.map((m) => m.header.msg_type)).toEqual(["status", "status"]);
  });

  it("an open to an unknown target, or whose handler throws, is closed again", async () => {
    const unknown = await sendComm("comm_open", { comm_id: "fe-2", target_name: "nobody", data: {} });
    expect(unknown.find((m) => m.header.msg_type === "comm_close")?.content).toEqual({ comm_id: "fe-2", data: {} });
    const unknownTarget = `comm_open for target "nobody", which no code in the kernel registered`;
    expect(await logOnceContains(kc, unknownTarget)).toContain(unknownTarget);
    const failing = await sendComm("comm_open", { comm_id: "fe-3", target_name: "fails-open", data: {} });
    expect(failing.map((m) => m.header.msg_type)).toEqual(["status", "comm_close", "stream", "status"]);
    expect(String(failing[2]!.content.text)).toContain("TypeError: cannot open");
    const info = await commInfo();
    expect(info).not.toHaveProperty("fe-2");
    expect(info).not.toHaveProperty("fe-3");
  });
});

describe("comms opened by the kernel", () => {
  it("publishes comm_open with its content and metadata under the cell, messages and close", async () => {
    const opened = nextIopub((m) => m.header.msg_type === "comm_open", "comm_open from the kernel");
    const r = await kc.execute('const mine = layer.open("kernel-side", { a: [1, 2] }, { version: "2.1.0" });\nmine.commId');
    expect(r.status).toBe("ok");
    const open = await opened;
    const commId = String(open.content.comm_id);
    expect(r.outputs).toEqual([expect.objectContaining({ data: { "text/plain": commId } })]);
    expect(open.content).toEqual({ comm_id: commId, target_name: "kernel-side", data: { a: [1, 2] }, target_module: null });
    expect(open.metadata).toEqual({ version: "2.1.0" });
    expect(open.parent_header.msg_type).toBe("execute_request");
    expect(await commInfo("kernel-side")).toEqual({ [commId]: { target_name: "kernel-side" } });

    // A front-end message to a kernel-opened comm reaches its onMsg.
    await kc.execute("mine.onMsg = (m) => mine.send({ got: m.content.data });");
    const reply = await sendComm("comm_msg", { comm_id: commId, data: { ping: 1 } });
    expect(reply.find((m) => m.header.msg_type === "comm_msg")?.content).toEqual({ comm_id: commId, data: { got: { ping: 1 } } });

    const closed = nextIopub((m) => m.header.msg_type === "comm_close", "comm_close from the kernel");
    await kc.execute('mine.close({ reason: "done" });');
    expect((await closed).content).toEqual({ comm_id: commId, data: { reason: "done" } });
    expect(await commInfo("kernel-side")).toEqual({});
    const again = await kc.execute("mine.send({})");
    expect(again.error?.evalue).toContain("is closed; open a new one");
  });

  it("an executor that dies takes its comms with it", async () => {
    await sendComm("comm_open", { comm_id: "fe-4", target_name: "echo", data: {} });
    expect(await commInfo()).toHaveProperty("fe-4");
    const pid = nextIopub((m) => m.header.msg_type === "stream" && String(m.content.text).startsWith("pid "), "the executor's pid");
    const cell = kc.execute('console.log("pid " + process.pid); await new Promise(() => {});', { timeoutMs: WAIT_MS });
    process.kill(Number(String((await pid).content.text).slice(4)), "SIGKILL");
    expect((await cell).error?.ename).toBe("KernelDied");
    expect(await commInfo()).toEqual({});
  });
});
