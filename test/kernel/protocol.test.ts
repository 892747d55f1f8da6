/** @file The real gradlab kernel over ZeroMQ: kernel_info, execute, errors, requests, signatures, restart. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import type { JupyterMessage } from "../../cli/client/messages.js";
import { startKernel, streamText } from "./helpers.js";

let kc: KernelClient;
beforeAll(async () => {
  kc = await startKernel();
});
afterAll(async () => {
  await kc?.close();
});

/** Collect iopub messages whose parent is `msgId`, until `ms` passes. */
async function iopubOf(run: () => string, ms = 300): Promise<JupyterMessage[]> {
  const got: JupyterMessage[] = [];
  const off = kc.onMessage("iopub", (m) => got.push(m));
  const id = run();
  await new Promise((r) => setTimeout(r, ms));
  off();
  return got.filter((m) => m.parent_header.msg_id === id);
}

describe("kernel_info", () => {
  it("answers with status ok, protocol 5.3, TypeScript language_info and help links", async () => {
    const r = await kc.request("shell", "kernel_info_request", {});
    expect(r.header.msg_type).toBe("kernel_info_reply");
    expect(r.content).toMatchObject({
      status: "ok",
      protocol_version: "5.3",
      implementation: "gradlab",
      language_info: {
        name: "typescript",
        file_extension: ".ts",
        mimetype: "text/typescript",
        codemirror_mode: { name: "javascript", typescript: true },
      },
    });
    expect((r.content.help_links as unknown[]).length).toBeGreaterThan(0);
  });
});

describe("execute", () => {
  it("publishes execute_input with the count and the last value as execute_result, not stdout", async () => {
    const inputs: JupyterMessage[] = [];
    const off = kc.onMessage("iopub", (m) => m.header.msg_type === "execute_input" && inputs.push(m));
    const r = await kc.execute('console.log("hi");\n6 * 7');
    off();
    expect(r.status).toBe("ok");
    expect(inputs.at(-1)?.content).toEqual({ code: 'console.log("hi");\n6 * 7', execution_count: r.executionCount });
    expect(r.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "hi\n" },
      expect.objectContaining({ output_type: "execute_result", data: { "text/plain": "42" }, execution_count: r.executionCount }),
    ]);
  });

  it("reports a type error as TSError with the cell line, on iopub and in the reply", async () => {
    const r = await kc.execute("const ok = 1;\nconst s: number = 'text';");
    expect(r.status).toBe("error");
    expect(r.error?.ename).toBe("TSError");
    expect(r.error?.evalue).toContain("line 2:7 - Type 'string' is not assignable to type 'number'.");
    expect(r.reply).toMatchObject({ status: "error", ename: "TSError" });
    expect(r.outputs.filter((o) => o.output_type === "error")).toHaveLength(1);
  });

  it("reports a runtime error with its cell line, and the next cell runs normally", async () => {
    const r = await kc.execute('const before = 5;\nfunction boom(): never {\n  throw new RangeError("too far");\n}\nboom();');
    expect(r.status).toBe("error");
    expect(r.error).toMatchObject({ ename: "RangeError", evalue: "too far" });
    expect(r.error?.traceback.join("\n")).toMatch(/boom, cell line 3: throw new RangeError\("too far"\);/);
    expect(r.error?.traceback.join("\n")).toMatch(/cell line 5: boom\(\);/);
    const next = await kc.execute("before + 1");
    expect(next.status).toBe("ok");
    expect(next.outputs).toEqual([expect.objectContaining({ data: { "text/plain": "6" } })]);
  });

  it("aborts only the requests already queued behind a failed cell (stop_on_error)", async () => {
    const [failed, queued] = await Promise.all([
      kc.execute('await new Promise((r) => setTimeout(r, 200)); throw new Error("x")'),
      kc.execute("1"),
    ]);
    expect(failed.status).toBe("error");
    expect(queued.status).toBe("aborted");
    expect((await kc.execute("2")).status).toBe("ok");
  });

  it("compiles top-level names starting with __ (a tslab bug)", async () => {
    const r = await kc.execute("const __secret: number = 20;\nlet __count = 1;\n__secret + __count");
    expect(r.status).toBe("ok");
    expect(r.outputs).toEqual([expect.objectContaining({ data: { "text/plain": "21" } })]);
    expect((await kc.execute("__secret * 2")).outputs).toEqual([expect.objectContaining({ data: { "text/plain": "40" } })]);
  });

  it("keeps stdout and stderr apart and shows nothing for an undefined last value", async () => {
    const r = await kc.execute('console.error("warn"); process.stdout.write("out\\n"); undefined');
    expect(streamText(r.outputs, "stderr")).toBe("warn\n");
    expect(streamText(r.outputs, "stdout")).toBe("out\n");
    expect(r.outputs.some((o) => o.output_type === "execute_result")).toBe(false);
  });
});

describe("other requests", () => {
  it("is_complete: complete, incomplete with indent, invalid", async () => {
    const ask = async (code: string) => (await kc.request("shell", "is_complete_request", { code })).content;
    expect(await ask("let x = 1;")).toEqual({ status: "complete" });
    expect(await ask("function f() {")).toEqual({ status: "incomplete", indent: "  " });
    expect(await ask("let y = )")).toEqual({ status: "invalid" });
    expect(await ask("%timeit f(1)")).toEqual({ status: "complete" });
  });

  it("complete_request lists notebook names at the cursor", async () => {
    await kc.execute("const myVariable = 1; const myOther = 2;");
    const r = await kc.request("shell", "complete_request", { code: "myV", cursor_pos: 3 });
    expect(r.content).toMatchObject({ status: "ok", cursor_start: 0, cursor_end: 3 });
    expect(r.content.matches).toContain("myVariable");
    expect(r.content.matches).not.toContain("Math");
  });

  it("inspect_request shows the type and documentation of gradlab's grad", async () => {
    await kc.execute('import { grad } from "gradlab";');
    const r = await kc.request("shell", "inspect_request", { code: "grad", cursor_pos: 2, detail_level: 0 });
    expect(r.content).toMatchObject({ status: "ok", found: true });
    const text = String((r.content.data as Record<string, unknown>)["text/plain"]);
    expect(text).toContain("function grad");
    expect(text.length).toBeGreaterThan("function grad".length + 40);
  });

  it("comm_info and history", async () => {
    expect((await kc.request("shell", "comm_info_request", {})).content).toEqual({ status: "ok", comms: {} });
    await kc.execute("const historyMarker = 123;");
    const h = await kc.request("shell", "history_request", { hist_access_type: "tail", n: 3, output: false, raw: true });
    expect(h.content.status).toBe("ok");
    expect((h.content.history as unknown[][]).map((row) => row[2])).toContain("const historyMarker = 123;");
    const s = await kc.request("shell", "history_request", {
      hist_access_type: "search",
      pattern: "const history*",
      output: false,
      raw: true,
    });
    expect(s.content.history).toEqual([[1, expect.any(Number), "const historyMarker = 123;"]]);
  });

  it("ignores an unknown request without leaking into the next cell", async () => {
    const msgs = await iopubOf(() => kc.send("shell", "frobnicate_request", { x: 1 }));
    expect(msgs.map((m) => m.header.msg_type).filter((t) => t !== "status")).toEqual([]);
    const r = await kc.execute("7");
    expect(r.outputs).toEqual([expect.objectContaining({ output_type: "execute_result", data: { "text/plain": "7" } })]);
  });

  it("drops a message with a wrong signature and stays up", async () => {
    const id = kc.send("shell", "kernel_info_request", {}, { badSignature: true });
    const reply = await new Promise<JupyterMessage | undefined>((resolve) => {
      const off = kc.onMessage("shell", (m) => m.parent_header.msg_id === id && (off(), resolve(m)));
      setTimeout(() => (off(), resolve(undefined)), 1000);
    });
    expect(reply).toBeUndefined();
    expect(await kc.heartbeat()).toBe(true);
    expect((await kc.execute("1 + 2")).status).toBe("ok");
  });

  it("survives bad input of every kind, with the names defined before it", async () => {
    expect((await kc.execute("const beforeBadInput = 5;")).status).toBe("ok");
    for (const code of ["", "%", "%%", "}}}", "%%nosuchcell\nbody", "%time", "\u0000"]) {
      const r = await kc.execute(code);
      expect(["ok", "error"]).toContain(r.status);
    }
    expect((await kc.execute("beforeBadInput")).outputs).toEqual([expect.objectContaining({ data: { "text/plain": "5" } })]);
  });
});

describe("shutdown", () => {
  it("restarts with fresh state on shutdown_request { restart: true }", async () => {
    await kc.execute("const survivor = 1;");
    const reply = await kc.shutdown({ restart: true });
    expect(reply).toEqual({ status: "ok", restart: true });
    const r = await kc.execute("typeof survivor");
    expect(r.status).toBe("error");
    expect((await kc.execute("1 + 1")).outputs).toEqual([expect.objectContaining({ data: { "text/plain": "2" } })]);
  });
});
