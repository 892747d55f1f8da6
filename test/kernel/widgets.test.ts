/** @file Widgets over ZeroMQ against the real kernel: comm_open of ipywidgets 8 models, updates both ways, interact, errors, updates while a cell awaits. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import type { ExecuteResult, JupyterMessage } from "../../cli/client/messages.js";
import { startKernel } from "./helpers.js";

/** How long to wait for one specific message before failing. */
const WAIT_MS = 15_000;
const VIEW = "application/vnd.jupyter.widget-view+json";

let kc: KernelClient;
beforeAll(async () => {
  kc = await startKernel();
  const r = await kc.execute(
    'import { slider, intSlider, button, dropdown, interact, output } from "gradlab";\nconst box: { wake?: (v: unknown) => void } = {};',
  );
  expect(r.status, JSON.stringify(r.error)).toBe("ok");
}, 60_000);
afterAll(async () => {
  await kc?.close();
});

/** Every iopub message parented to the message `send()` sends, up to and including its idle status. */
async function exchange(send: () => string): Promise<JupyterMessage[]> {
  const got: JupyterMessage[] = [];
  let id = "";
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error("no idle status for the message"))), WAIT_MS);
    const off = kc.onMessage("iopub", (m) => {
      if (m.parent_header.msg_id !== id) return;
      got.push(m);
      if (m.header.msg_type === "status" && m.content.execution_state === "idle") {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
  id = send();
  await done;
  return got;
}

/** Run a cell; returns its reply and every iopub message it caused. */
async function run(code: string): Promise<{ r: ExecuteResult; msgs: JupyterMessage[] }> {
  const msgs: JupyterMessage[] = [];
  const off = kc.onMessage("iopub", (m) => m.parent_header.msg_type === "execute_request" && msgs.push(m));
  try {
    const r = await kc.execute(code, { timeoutMs: WAIT_MS });
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
    return { r, msgs };
  } finally {
    off();
  }
}

const update = (commId: string, state: Record<string, unknown>) => () =>
  kc.send("shell", "comm_msg", { comm_id: commId, data: { method: "update", state, buffer_paths: [] } });
const commMsgs = (msgs: JupyterMessage[], commId: string) =>
  msgs
    .filter((m) => m.header.msg_type === "comm_msg" && m.content.comm_id === commId)
    .map((m) => m.content.data as Record<string, unknown>);
const text = (r: ExecuteResult) => (r.outputs.at(-1) as { data?: Record<string, unknown> } | undefined)?.data?.["text/plain"];

describe("a slider in the kernel", () => {
  let sliderId = "";

  it("opens its layout, style and model comms (target jupyter.widget, version 2.1.0) and shows as a widget view", async () => {
    const { r, msgs } = await run(
      'const s = slider({ min: 0, max: 2, step: 0.25, value: 1, description: "x" });\nconst seen: number[] = [];\ns.observe(({ new: v }) => void seen.push(v));\ns',
    );
    const opens = msgs.filter((m) => m.header.msg_type === "comm_open");
    expect(opens.map((m) => (m.content.data as { state: { _model_name: string } }).state._model_name)).toEqual([
      "LayoutModel",
      "SliderStyleModel",
      "FloatSliderModel",
    ]);
    for (const o of opens) {
      expect(o.content.target_name).toBe("jupyter.widget");
      expect(o.metadata).toEqual({ version: "2.1.0" });
      expect((o.content.data as { buffer_paths: unknown }).buffer_paths).toEqual([]);
    }
    const main = opens[2]!;
    sliderId = String(main.content.comm_id);
    expect((main.content.data as { state: unknown }).state).toMatchObject({
      _model_module: "@jupyter-widgets/controls",
      _model_module_version: "2.0.0",
      _view_module: "@jupyter-widgets/controls",
      _view_module_version: "2.0.0",
      _view_name: "FloatSliderView",
      min: 0,
      max: 2,
      step: 0.25,
      value: 1,
      description: "x",
      layout: `IPY_MODEL_${opens[0]!.content.comm_id}`,
      style: `IPY_MODEL_${opens[1]!.content.comm_id}`,
    });
    const result = r.outputs.at(-1) as { output_type: string; data: Record<string, unknown> };
    expect(result.output_type).toBe("execute_result");
    expect(result.data[VIEW]).toEqual({ version_major: 2, version_minor: 1, model_id: sliderId });
    const comms = (await kc.request("shell", "comm_info_request", { target_name: "jupyter.widget" })).content.comms as Record<
      string,
      unknown
    >;
    for (const o of opens) expect(comms).toHaveProperty(String(o.content.comm_id));
  });

  it("takes a front-end update into the kernel model and its observers, without echoing it", async () => {
    const msgs = await exchange(update(sliderId, { value: 1.5 }));
    expect(commMsgs(msgs, sliderId)).toEqual([]);
    expect(text((await run("`${s.value} ${seen.join(',')}`")).r)).toBe("1.5 1.5");
  });

  it("corrects an out-of-range value from the front end (update back with the clamped value)", async () => {
    const msgs = await exchange(update(sliderId, { value: 7 }));
    expect(commMsgs(msgs, sliderId)).toEqual([{ method: "update", state: { value: 2 }, buffer_paths: [] }]);
    expect(text((await run("s.value")).r)).toBe("2");
  });

  it("sends a value set by code to the front end, and the whole state on request_state", async () => {
    const { msgs } = await run("s.value = 0.5;\ns.set({ max: 4 });");
    expect(commMsgs(msgs, sliderId)).toEqual([
      { method: "update", state: { value: 0.5 }, buffer_paths: [] },
      { method: "update", state: { max: 4 }, buffer_paths: [] },
    ]);
    const state = await exchange(() => kc.send("shell", "comm_msg", { comm_id: sliderId, data: { method: "request_state" } }));
    expect(commMsgs(state, sliderId)[0]).toMatchObject({
      method: "update",
      state: { _model_name: "FloatSliderModel", value: 0.5, max: 4 },
    });
  });

  it("shows an error of an observer as stderr on the update, and the kernel carries on", async () => {
    await run('s.observe(({ new: v }) => { if (v === 3) throw new Error("observer rejects 3"); });');
    const msgs = await exchange(update(sliderId, { value: 3 }));
    const err = msgs.find((m) => m.header.msg_type === "stream");
    expect(err?.content).toMatchObject({ name: "stderr" });
    expect(String(err?.content.text)).toContain("observer rejects 3");
    expect(text((await run("s.value")).r)).toBe("3");
  });

  it("receives an update while a cell awaits (the cell waits for the value the update brings)", async () => {
    await run("s.observe(({ new: v }) => box.wake?.(v));");
    const started = new Promise<void>((resolve) => {
      const off = kc.onMessage(
        "iopub",
        (m) => m.header.msg_type === "stream" && String(m.content.text).includes("waiting") && (off(), resolve()),
      );
    });
    const cell = kc.execute('const got = await new Promise((r) => { box.wake = r; console.log("waiting"); });\n`woken with ${got}`', {
      timeoutMs: WAIT_MS,
    });
    await started;
    await exchange(update(sliderId, { value: 1.25 }));
    const r = await cell;
    expect(r.status).toBe("ok");
    expect(text(r)).toBe("woken with 1.25");
  });

  it("display(widget) shows a widget view; a button click from the front end runs onClick", async () => {
    const { msgs } = await run(
      'const b = button({ description: "go" });\nlet clicks = { n: 0 };\nb.onClick(() => { clicks.n++; });\ndisplay(b);',
    );
    const shown = msgs.find((m) => m.header.msg_type === "display_data");
    const buttonId = (shown?.content.data as Record<string, { model_id: string }>)[VIEW]!.model_id;
    expect(msgs.find((m) => m.header.msg_type === "comm_open" && m.content.comm_id === buttonId)).toBeDefined();
    await exchange(() => kc.send("shell", "comm_msg", { comm_id: buttonId, data: { method: "custom", content: { event: "click" } } }));
    expect(text((await run("clicks.n")).r)).toBe("1");
  });
});

describe("interact in the kernel", () => {
  it("shows fn's result in an Output widget and replaces it in one update per front-end change", async () => {
    const { r, msgs } = await run(
      "const x = slider({ min: 0, max: 2, step: 0.25, value: 1 });\nconst view = interact((x: number) => (x * x + 0.125).toFixed(6), { x });\nview",
    );
    const opens = msgs
      .filter((m) => m.header.msg_type === "comm_open")
      .map((m) => ({ id: String(m.content.comm_id), state: (m.content.data as { state: Record<string, unknown> }).state }));
    const out = opens.find((o) => o.state._model_name === "OutputModel")!;
    expect(out.state).toMatchObject({ _model_module: "@jupyter-widgets/output", _model_module_version: "1.0.0", _view_name: "OutputView" });
    const xId = opens.find((o) => o.state._model_name === "FloatSliderModel")!.id;
    // The first result reaches the front end as an update of the output's state.
    expect(commMsgs(msgs, out.id).at(-1)).toEqual({
      method: "update",
      state: { outputs: [{ output_type: "display_data", data: { "text/plain": "1.125000" }, metadata: {} }] },
      buffer_paths: [],
    });
    const viewId = (r.outputs.at(-1) as { data: Record<string, { model_id: string }> }).data[VIEW]!.model_id;
    const vbox = opens.find((o) => o.id === viewId)!;
    expect(vbox.state).toMatchObject({ _model_name: "VBoxModel", children: [`IPY_MODEL_${xId}`, `IPY_MODEL_${out.id}`] });

    for (const [v, shown] of [
      [0.5, "0.375000"],
      [1.75, "3.187500"],
    ] as const) {
      const reply = await exchange(update(xId, { value: v }));
      expect(commMsgs(reply, out.id)).toEqual([
        {
          method: "update",
          state: { outputs: [{ output_type: "display_data", data: { "text/plain": shown }, metadata: {} }] },
          buffer_paths: [],
        },
      ]);
    }
    expect(text((await run("view.out.value.length + ' ' + x.value")).r)).toBe("1 1.75");
  });

  it("puts what fn prints into its output, not into the cell or the comm message", async () => {
    const { msgs } = await run(
      "const k = intSlider({ max: 9, value: 1 });\nconst talk = interact((k: number) => { console.log(`k is ${k}`); return k * 2; }, { k });",
    );
    const opened = msgs
      .filter((m) => m.header.msg_type === "comm_open")
      .map((m) => ({ id: String(m.content.comm_id), name: (m.content.data as { state: { _model_name: string } }).state._model_name }));
    expect(msgs.filter((m) => m.header.msg_type === "stream")).toEqual([]);
    const reply = await exchange(update(opened.find((o) => o.name === "IntSliderModel")!.id, { value: 3 }));
    expect(reply.filter((m) => m.header.msg_type === "stream")).toEqual([]);
    expect(commMsgs(reply, opened.find((o) => o.name === "OutputModel")!.id)).toEqual([
      {
        method: "update",
        state: {
          outputs: [
            { output_type: "stream", name: "stdout", text: "k is 3\n" },
            { output_type: "display_data", data: { "text/plain": "6" }, metadata: {} },
          ],
        },
        buffer_paths: [],
      },
    ]);
  });

  it("shows an error of fn in its output and keeps going", async () => {
    const { msgs } = await run(
      'const n = intSlider({ max: 5, value: 1 });\nconst risky = interact((n: number) => { if (n === 4) throw new RangeError("no 4"); return n * 10; }, { n });',
    );
    const outId = String(
      msgs.find(
        (m) =>
          m.header.msg_type === "comm_open" && (m.content.data as { state: { _model_name: string } }).state._model_name === "OutputModel",
      )!.content.comm_id,
    );
    const nId = String(
      msgs.find(
        (m) =>
          m.header.msg_type === "comm_open" &&
          (m.content.data as { state: { _model_name: string } }).state._model_name === "IntSliderModel",
      )!.content.comm_id,
    );
    const bad = await exchange(update(nId, { value: 4 }));
    expect(commMsgs(bad, outId)).toEqual([
      {
        method: "update",
        state: { outputs: [{ output_type: "error", ename: "RangeError", evalue: "no 4", traceback: ["RangeError: no 4"] }] },
        buffer_paths: [],
      },
    ]);
    const good = await exchange(update(nId, { value: 2 }));
    expect(commMsgs(good, outId)[0]).toMatchObject({ state: { outputs: [{ data: { "text/plain": "20" } }] } });
  });

  it("%interact backprop f(x, w, b) re-draws the backprop view when the front end moves a slider", async () => {
    await run(
      'import { add, mul, sigmoid, sum, tensor, backprop } from "gradlab";\nconst fx = tensor([1, 2]);\nconst loss = (x: any, w: any, b: any) => sum(sigmoid(add(mul(w, x), b)));\nconst w0 = 0.5, b0 = -1;',
    );
    const { msgs } = await run("%interact backprop loss(fx, w0, b0)");
    const opens = msgs
      .filter((m) => m.header.msg_type === "comm_open")
      .map((m) => ({ id: String(m.content.comm_id), state: (m.content.data as { state: Record<string, unknown> }).state }));
    const sliders = opens.filter((o) => o.state._model_name === "FloatSliderModel");
    expect(sliders.map((o) => o.state.description)).toEqual(["w", "b"]);
    const outId = opens.find((o) => o.state._model_name === "OutputModel")!.id;
    const reply = await exchange(update(sliders[0]!.id, { value: 0.75 }));
    const shown = commMsgs(reply, outId)[0] as { state: { outputs: { data: Record<string, unknown> }[] } };
    const want = (await run("backprop(loss, fx, 0.75, b0)")).r.outputs.at(-1) as { data: Record<string, unknown> };
    expect(shown.state.outputs).toHaveLength(1);
    expect(shown.state.outputs[0]!.data["text/html"]).toBe(want.data["text/html"]);
    expect(String(shown.state.outputs[0]!.data["text/html"])).not.toBe("");
  });

  it("%interact --entries puts chosen vector entries (by parameter name) on sliders; a bad --entries is a usage error", async () => {
    const { msgs } = await run("%interact backprop loss(fx, w0, b0) --entries x[1]");
    const descriptions = msgs
      .filter((m) => m.header.msg_type === "comm_open")
      .map((m) => (m.content.data as { state: Record<string, unknown> }).state)
      .filter((st) => st._model_name === "FloatSliderModel")
      .map((st) => st.description);
    expect(descriptions).toEqual(["w", "b", "x[1]"]);
    const bad = await kc.execute("%interact backprop loss(fx, w0, b0) --entries fx");
    expect(bad.error).toMatchObject({ ename: "UsageError" });
    expect(bad.error?.evalue).toContain('--entries: expected entries like w[0],w[2], got "fx"');
  });

  it("%interact gradcheck f x puts each entry of x on a slider and re-runs the check, which fails where the formula is wrong", async () => {
    // g is right only where x0 = 1 (d(x0^2 x1)/dx1 = x0^2, not x0).
    await run(
      'import { gradcheck, index, stack } from "gradlab";\nconst cube = (x: any) => mul(mul(index(x, 0), index(x, 0)), index(x, 1));\nconst cubeGrad = (x: any) => stack([mul(mul(2, index(x, 0)), index(x, 1)), index(x, 0)]);\nconst p0 = tensor([1, 3]);',
    );
    const { msgs } = await run("%interact gradcheck cube p0 --analytic cubeGrad");
    const opens = msgs
      .filter((m) => m.header.msg_type === "comm_open")
      .map((m) => ({ id: String(m.content.comm_id), state: (m.content.data as { state: Record<string, unknown> }).state }));
    const sliders = opens.filter((o) => o.state._model_name === "FloatSliderModel");
    expect(sliders.map((o) => [o.state.description, o.state.value])).toEqual([
      ["x[0]", 1],
      ["x[1]", 3],
    ]);
    const outId = opens.find((o) => o.state._model_name === "OutputModel")!.id;
    const first = commMsgs(msgs, outId).at(-1) as { state: { outputs: { data: Record<string, string> }[] } };
    expect(first.state.outputs[0]!.data["text/plain"]).toBe(
      text((await run('gradcheck(cube, p0, { analytic: cubeGrad, name: "cube" })')).r),
    );
    const reply = await exchange(update(sliders[0]!.id, { value: 2 }));
    const shown = commMsgs(reply, outId)[0] as { state: { outputs: { data: Record<string, string> }[] } };
    const want = (await run('gradcheck(cube, tensor([2, 3]), { analytic: cubeGrad, name: "cube" })')).r.outputs.at(-1) as {
      data: Record<string, string>;
    };
    expect(shown.state.outputs[0]!.data).toEqual(want.data);
    expect(first.state.outputs[0]!.data["text/plain"]).not.toContain("FAIL");
    expect(shown.state.outputs[0]!.data["text/plain"]).toContain("FAIL");
  });

  it("%interact gradcheck takes an array literal as the point, asks for --entries when x is long, and names a bad formula", async () => {
    const long = await kc.execute("%interact gradcheck cube tensor([1, 2, 3, 4, 5, 6, 7, 8, 9])");
    expect(long.error).toMatchObject({ ename: "UsageError" });
    expect(long.error?.evalue).toContain("has 9 entries: name the ones to put on sliders, e.g. --entries x[0],x[1]");
    const literal = await run("%interact gradcheck cube [1, 3]");
    const literalSliders = literal.msgs
      .filter((m) => m.header.msg_type === "comm_open")
      .map((m) => (m.content.data as { state: Record<string, unknown> }).state)
      .filter((st) => st._model_name === "FloatSliderModel");
    expect(literalSliders.map((st) => [st.description, st.value])).toEqual([
      ["x[0]", 1],
      ["x[1]", 3],
    ]);
    const { msgs } = await run("%interact gradcheck cube tensor([1, 2, 3, 4, 5, 6, 7, 8, 9]) --entries x[4]");
    const sliders = msgs
      .filter((m) => m.header.msg_type === "comm_open")
      .map((m) => (m.content.data as { state: Record<string, unknown> }).state)
      .filter((st) => st._model_name === "FloatSliderModel");
    expect(sliders.map((st) => st.description)).toEqual(["x[4]"]);
    const bad = await kc.execute("%interact gradcheck cube p0 --analytic p0");
    expect(bad.error?.evalue).toContain("--analytic p0 is not a function");
  });
});
