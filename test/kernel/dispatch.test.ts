/**
 * @file The engine's dispatch (kernel/engine/dispatch.ts), which both hosts hand every message to,
 * in this process with a real executor and compiler: the answer of each kind of request, outputs
 * parented to the message being handled, comm messages (with their bytes in base64 both ways) and
 * a comm handler's error.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { printQuickInfo } from "tslab/dist/inspect.js";
import { createTslabShim } from "../../kernel/engine/display.js";
import { Dispatch } from "../../kernel/engine/dispatch.js";
import { Executor } from "../../kernel/engine/executor.js";
import { fromBase64, toBase64, type ChildToHost, type CommRequest } from "../../kernel/engine/ipc.js";
import { MagicRegistry } from "../../kernel/magics/registry.js";
import lsmagic from "../../kernel/magics/lsmagic.js";
import { assertBuilt } from "../support/build.js";

// The executor loads the built library (dist/src) for `import ... from "gradlab"`.
beforeAll(() => assertBuilt(["src"]));

const sent: ChildToHost[] = [];
const logged: string[] = [];
const dispatch = new Dispatch({ send: (m) => sent.push(m), log: (line) => logged.push(line), quickInfo: printQuickInfo });
const executor = new Executor(process.cwd(), dispatch.display, createTslabShim(dispatch.display, { gradlab: "test" }));
const registry = new MagicRegistry([lsmagic].flat());
dispatch.attach(executor, async () => ({ registry, errors: [] }));

/** The messages one call sends. */
async function during(fn: () => Promise<void>): Promise<ChildToHost[]> {
  sent.length = 0;
  await fn();
  return [...sent];
}

describe("Dispatch", () => {
  it("answers an execute request with the cell's value, its display output parented to the request", async () => {
    const out = await during(() =>
      dispatch.request({
        type: "execute",
        id: 7,
        code: 'import * as tslab from "tslab";\ntslab.display.html("<b>x</b>");\nconst n: number = 6 * 7;\nn',
        executionCount: 1,
        silent: false,
      }),
    );
    expect(out).toEqual([
      { type: "display", id: 7, data: { "text/html": "<b>x</b>" }, metadata: {}, displayId: undefined, update: false },
      { type: "done", id: 7, ok: true, reply: { payload: [] }, result: { data: { "text/plain": "42" }, metadata: {} } },
    ]);
    expect(dispatch.current).toBe(7);
  });

  it("answers a cell that does not type-check with its error", async () => {
    const [done] = await during(() =>
      dispatch.request({ type: "execute", id: 8, code: "const s: string = n;", executionCount: 2, silent: false }),
    );
    expect(done).toMatchObject({ type: "done", id: 8, ok: false });
    expect(done.type === "done" && !done.ok && done.error.evalue).toContain("Type 'number' is not assignable to type 'string'");
  });

  it("completes and inspects with the language service, magics with their help", async () => {
    const [completion] = await during(() => dispatch.request({ type: "complete", id: 9, code: "Math.flo", cursor: 8 }));
    expect(completion).toMatchObject({ type: "done", id: 9, ok: true, reply: { cursor_start: 5, cursor_end: 8 } });
    expect(completion.type === "done" && completion.ok && completion.reply.matches).toContain("floor");
    const [info] = await during(() => dispatch.request({ type: "inspect", id: 10, code: "Math.floor(n)", cursor: 7, detail: 0 }));
    expect(info).toMatchObject({ type: "done", id: 10, ok: true, reply: { found: true } });
    expect(JSON.stringify(info)).toContain("floor(x: number): number");
    const [magic] = await during(() => dispatch.request({ type: "inspect", id: 11, code: "%lsmagic", cursor: 3, detail: 0 }));
    expect(magic).toMatchObject({
      type: "done",
      id: 11,
      ok: true,
      reply: { found: true, data: { "text/plain": registry.helpText(lsmagic) } },
    });
  });

  it("hands a comm message to its target, bytes in base64 both ways, its replies parented to it", async () => {
    dispatch.comms.registerTarget("echo", (comm) => {
      comm.onMsg = (m) =>
        comm.send(
          { got: m.content.data },
          {},
          m.buffers.map((b) => b.map((x) => 255 - x)),
        );
    });
    const comm: CommRequest = { type: "comm", msgType: "comm_open", id: 0, content: {}, metadata: {}, buffers: [] };
    expect(await during(() => dispatch.comm({ ...comm, id: 20, content: { comm_id: "c1", target_name: "echo", data: {} } }))).toEqual([
      { type: "comm-done", id: 20 },
    ]);
    const bytes = new Uint8Array([0, 1, 200, 255]);
    const out = await during(() =>
      dispatch.comm({ ...comm, msgType: "comm_msg", id: 21, content: { comm_id: "c1", data: { v: 3 } }, buffers: [toBase64(bytes)] }),
    );
    expect(out).toEqual([
      {
        type: "comm",
        id: 21,
        msgType: "comm_msg",
        content: { comm_id: "c1", data: { got: { v: 3 } } },
        metadata: {},
        buffers: ["//43AA=="],
      },
      { type: "comm-done", id: 21 },
    ]);
    // 255 - [0, 1, 200, 255] = [255, 254, 55, 0]
    expect([...fromBase64("//43AA==")]).toEqual([255, 254, 55, 0]);
    // Outside the comm message, outputs go to the request handled before it.
    expect(dispatch.current).toBe(11);
  });

  it("shows a comm handler's error on the comm message's stderr and logs it", async () => {
    dispatch.comms.registerTarget("boom", () => {
      throw new Error("no such widget");
    });
    const out = await during(() =>
      dispatch.comm({
        type: "comm",
        msgType: "comm_open",
        id: 30,
        content: { comm_id: "c2", target_name: "boom", data: {} },
        metadata: {},
        buffers: [],
      }),
    );
    expect(out.at(-1)).toEqual({ type: "comm-done", id: 30 });
    const stderr = out.filter((m) => m.type === "stream");
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatchObject({ id: 30, name: "stderr" });
    expect(stderr[0].type === "stream" && stderr[0].text).toContain("no such widget");
    expect(logged.some((l) => l.includes("no such widget"))).toBe(true);
  });
});
