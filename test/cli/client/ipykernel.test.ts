/** @file KernelClient against Debian's real IPython kernel over ZeroMQ (no fakes). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient } from "../../../cli/client/kernel-client.js";
import { ExecuteTimeoutError } from "../../../cli/client/messages.js";

const IPYKERNEL = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"];

describe("KernelClient with ipykernel", () => {
  let kc: KernelClient;
  beforeAll(async () => {
    kc = await KernelClient.start({ argv: IPYKERNEL });
  });
  afterAll(async () => {
    await kc?.close();
  });

  it("receives a verified kernel_info_reply at start-up", () => {
    expect(kc.kernelInfo.status).toBe("ok");
    expect((kc.kernelInfo.language_info as { name: string }).name).toBe("python");
    expect(kc.badSignatures).toBe(0);
  });

  it("collects execute_result, coalesced streams and the execution count", async () => {
    const r = await kc.execute("import sys\nprint('a'); print('b'); sys.stdout.flush()\n6 * 7");
    expect(r.status).toBe("ok");
    expect(r.executionCount).toBeGreaterThan(0);
    expect(r.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
      { output_type: "execute_result", execution_count: r.executionCount, data: { "text/plain": "42" }, metadata: {} },
    ]);
  });

  it("reports errors with ename, evalue and traceback, and the next cell runs", async () => {
    // stopOnError false: with true, ipykernel aborts requests arriving during its abort window (racy under load).
    const r = await kc.execute("1 / 0", { stopOnError: false });
    expect(r.status).toBe("error");
    expect(r.error?.ename).toBe("ZeroDivisionError");
    expect(r.error?.traceback.length).toBeGreaterThan(0);
    expect(r.outputs.at(-1)?.output_type).toBe("error");
    const next = await kc.execute("'still here'");
    expect(next.status).toBe("ok");
  });

  it("sends stop_on_error: a request queued behind a failing cell is aborted, unless stopOnError is false", async () => {
    const [failedAllowed, ran] = await Promise.all([kc.execute("1 / 0", { stopOnError: false }), kc.execute("'queued'")]);
    expect(failedAllowed.status).toBe("error");
    expect(ran.status).toBe("ok");
    const [failed, aborted] = await Promise.all([kc.execute("1 / 0"), kc.execute("'queued'")]);
    expect(failed.status).toBe("error");
    expect(aborted.status).toBe("aborted");
    // ipykernel keeps aborting for a moment after the error: wait until it runs cells again.
    for (let i = 0; i < 50 && (await kc.execute("'sync'")).status === "aborted"; i++) await new Promise((r) => setTimeout(r, 20));
  });

  it("applies clear_output(wait=True) and update_display_data", async () => {
    const code = [
      "from IPython.display import display, clear_output",
      "print('gone')",
      "clear_output(wait=True)",
      "print('kept')",
      "h = display('v1', display_id='d1')",
      "h.update('v2')",
    ].join("\n");
    const r = await kc.execute(code);
    expect(r.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "kept\n" },
      { output_type: "display_data", data: { "text/plain": "'v2'" }, metadata: {} },
    ]);
  });

  it("answers stdin input_request through onInput", async () => {
    const r = await kc.execute("x = input('name? ')\nx.upper()", { allowStdin: true, onInput: (p) => (p === "name? " ? "ada" : "?") });
    expect(r.outputs.at(-1)).toMatchObject({ output_type: "execute_result", data: { "text/plain": "'ADA'" } });
  });

  it("round-trips request() on shell and the heartbeat", async () => {
    const r = await kc.request("shell", "is_complete_request", { code: "for i in range(3):" });
    expect(r.header.msg_type).toBe("is_complete_reply");
    expect(r.content.status).toBe("incomplete");
    expect(await kc.heartbeat()).toBe(true);
  });

  it("interrupts a busy cell by signal, keeping state", async () => {
    await kc.execute("kept = 123");
    const running = kc.execute("import time\nwhile True: time.sleep(0.01)", { stopOnError: false });
    await new Promise((r) => setTimeout(r, 500));
    await kc.interrupt();
    const r = await running;
    expect(r.status).toBe("error");
    expect(r.error?.ename).toBe("KeyboardInterrupt");
    expect((await kc.execute("kept")).outputs[0]).toMatchObject({ data: { "text/plain": "123" } });
  });

  it("times out, interrupts and stays usable", async () => {
    await expect(kc.execute("import time\ntime.sleep(30)", { timeoutMs: 500, stopOnError: false })).rejects.toBeInstanceOf(
      ExecuteTimeoutError,
    );
    // The interrupted cell's own reply arrives and is ignored; the next cell runs normally.
    const r = await kc.execute("'after timeout'");
    expect(r.status).toBe("ok");
  });

  it("counts replies to a badly-signed message as never sent: the kernel ignores it", async () => {
    const id = kc.send("shell", "kernel_info_request", {}, { badSignature: true });
    const replies: string[] = [];
    const off = kc.onMessage("shell", (m) => replies.push(String(m.parent_header.msg_id)));
    const ok = await kc.request("shell", "kernel_info_request", {});
    off();
    expect(ok.content.status).toBe("ok");
    expect(replies).not.toContain(id);
    expect(await kc.heartbeat()).toBe(true);
  });

  it("restarts with shutdown({ restart: true }), losing state", async () => {
    await kc.execute("before_restart = 1");
    const reply = await kc.shutdown({ restart: true });
    expect(reply.restart).toBe(true);
    const r = await kc.execute("'before_restart' in dir()");
    expect(r.outputs[0]).toMatchObject({ data: { "text/plain": "False" } });
  });
});

describe("KernelClient when the kernel dies or misbehaves", () => {
  it("rejects a running execute when the kernel process dies", async () => {
    const kc = await KernelClient.start({ argv: IPYKERNEL });
    try {
      await expect(kc.execute("import os\nos._exit(7)")).rejects.toThrow(/execute: the kernel died \(exit code 7\)/);
      expect(kc.pid).toBeUndefined();
    } finally {
      await kc.close();
    }
  });

  it("rejects sending on iopub", async () => {
    const kc = await KernelClient.start({ argv: IPYKERNEL });
    try {
      expect(() => kc.send("iopub", "x", {})).toThrow("KernelClient.send: expected shell, control or stdin, got iopub");
    } finally {
      await kc.close();
    }
  });
});

describe("KernelClient start-up failures", () => {
  it("names the exit when the kernel process dies", async () => {
    await expect(
      KernelClient.start({ argv: ["/usr/bin/python3", "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"] }),
    ).rejects.toThrow(/exited during start-up[\s\S]*boom/);
  });

  it("interrupts by message when the kernelspec says so", async () => {
    const kc = await KernelClient.start({ argv: IPYKERNEL, interruptMode: "message" });
    try {
      const running = kc.execute("import time\ntime.sleep(30)");
      await new Promise((r) => setTimeout(r, 500));
      await kc.interrupt();
      expect((await running).error?.ename).toBe("KeyboardInterrupt");
    } finally {
      await kc.close();
    }
  });
});
