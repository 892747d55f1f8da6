/**
 * @file The cell engine in both of its hosts, through the messages they speak (kernel/engine/ipc.ts):
 * the Node executor child and the browser's Web Worker (test/support/engine-hosts.ts) run the same
 * cells, completions, inspections and comm messages. Each host's answers are checked on their
 * own (numbers against closed forms), and the messages of every case must be the same on both,
 * once the comm ids each host draws at random are named by their order of appearance; but for
 * `%sh` (only the Node host has a shell) and `%time`/`%timeit`, whose lines are each host's clock
 * readings (the CPU time only Node's).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { browserHost, nodeHost, type EngineHost, type HostMessage } from "../support/engine-hosts.js";

type Done = Extract<HostMessage, { type: "done" }>;

/** Each host's messages per case, normalised ({@link normalise}), for the comparison at the end. */
const transcripts = { node: new Map<string, unknown>(), browser: new Map<string, unknown>() };

/**
 * What must be equal between hosts: the messages without their request ids (each adapter numbers
 * its own), comm ids (random hex) renamed `comm-1`, `comm-2`, ... in order of appearance.
 */
function normalise(msgs: HostMessage[]): unknown {
  const names = new Map<string, string>();
  const text = JSON.stringify(msgs.map(({ id: _id, ...m }) => m)).replace(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/g, (hex) => {
    if (!names.has(hex)) names.set(hex, `comm-${names.size + 1}`);
    return names.get(hex)!;
  });
  return JSON.parse(text);
}

const done = (msgs: HostMessage[]): Done => {
  const last = msgs.at(-1);
  if (last?.type !== "done") throw new Error(`no done message: ${JSON.stringify(msgs)}`);
  return last;
};
/** The `done` of a request that succeeded (it fails the test otherwise). */
const ok = (msgs: HostMessage[]): Extract<Done, { ok: true }> => {
  const d = done(msgs);
  if (!d.ok) throw new Error(`the request failed: ${JSON.stringify(d.error)}`);
  return d;
};
/** The cell's value as text/plain. */
const value = (msgs: HostMessage[]): unknown => ok(msgs).result?.data["text/plain"];
const error = (msgs: HostMessage[]) => {
  const d = done(msgs);
  expect(d.ok, "the cell should have failed").toBe(false);
  return d.ok ? { ename: "", evalue: "", traceback: [] } : d.error;
};
const stdout = (msgs: HostMessage[]): string => msgs.map((m) => (m.type === "stream" && m.name === "stdout" ? m.text : "")).join("");
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe.each([nodeHost(), browserHost()])("the engine in its $name host", (host: EngineHost) => {
  let count = 0;
  let caseName = "";
  const record = (msgs: HostMessage[]): HostMessage[] => {
    const key = `${caseName} #${[...transcripts[host.name].keys()].filter((k) => k.startsWith(caseName)).length}`;
    transcripts[host.name].set(key, normalise(msgs));
    return msgs;
  };
  const execute = (code: string) => host.request({ type: "execute", code, executionCount: ++count, silent: false });
  const run = async (code: string) => record(await execute(code));
  const ask = async (type: "complete" | "inspect", code: string, cursor = code.length) =>
    record(await host.request(type === "complete" ? { type, code, cursor } : { type, code, cursor, detail: 0 }));
  const comm = async (msgType: "comm_open" | "comm_msg", content: Record<string, unknown>) =>
    record(await host.comm({ msgType, content, metadata: {}, buffers: [] }));

  beforeAll(() => host.start(), 120_000);
  afterAll(() => host.stop());
  beforeEach((ctx) => void (caseName = ctx.task.name));

  it("shows a typed cell's value as text/plain", async () => {
    const msgs = await run("const answer: number = 6 * 7;\nanswer");
    expect(msgs.map((m) => m.type)).toEqual(["done"]);
    expect(value(msgs)).toBe(String(6 * 7));
  });

  it("reports a type error against an earlier cell's declaration, at its line and column", async () => {
    const e = error(await run("const fine = 1;\nconst wrong: string = answer;"));
    expect(e.ename).toBe("TSError");
    expect(e.evalue).toBe("line 2:7 - Type 'number' is not assignable to type 'string'. (TS2322)");
    expect(e.traceback).toEqual(["TSError: TypeScript compilation failed", e.evalue]);
  });

  it("lets a later cell declare a const again (the notebook's redefinition); a failed cell declares nothing", async () => {
    expect(value(await run("const answer = 43;\nanswer + 1"))).toBe("44");
    expect(error(await run("typeof fine")).evalue).toBe("line 1:8 - Cannot find name 'fine'. (TS2304)");
  });

  it('imports from "gradlab" and differentiates: d/dv sin(v²) = 2v cos(v²)', async () => {
    const text = value(
      await run(
        'import { grad, tensor, sin, mul, sigmoid, dot, matmul, slider, type Tensor } from "gradlab";\ngrad((v: Tensor) => sin(mul(v, v)))(tensor(1.5)).item()',
      ),
    );
    expect(Number(text)).toBeCloseTo(2 * 1.5 * Math.cos(1.5 * 1.5), 12);
  });

  it("sends what a cell prints as stream messages, in order, before its value", async () => {
    const msgs = await run(
      'console.log("one");\nconsole.error("two");\nprocess.stdout.write("three\\n");\nconsole.log({ a: [1, 2] });\n"four"',
    );
    expect(msgs.map((m) => (m.type === "stream" ? `${m.name}: ${m.text}` : m.type))).toEqual([
      "stdout: one\n",
      "stderr: two\n",
      "stdout: three\n",
      "stdout: { a: [ 1, 2 ] }\n",
      "done",
    ]);
    expect(value(msgs)).toBe("four");
  });

  it("reports a runtime error with its name, message and the cell lines of its frames", async () => {
    const e = error(
      await run("function boom(n: number): number {\n  if (n > 1) throw new RangeError(`too big: ${n}`);\n  return n;\n}\nboom(3)"),
    );
    expect(e).toEqual({
      ename: "RangeError",
      evalue: "too big: 3",
      traceback: [
        "RangeError: too big: 3",
        "    at boom, cell line 2: if (n > 1) throw new RangeError(`too big: ${n}`);",
        "    at cell line 5: boom(3)",
      ],
    });
    const lib = error(await run("const y = 1;\nmatmul(tensor([[1, 2]]), tensor([1, 2, 3]))"));
    expect(lib.evalue).toBe("matmul: inner dimensions differ: [1,2] @ [3]");
    expect(lib.traceback[1]).toMatch(/^ {4}\(\d+ frames? inside gradlab\)$/);
    expect(lib.traceback.slice(2)).toEqual(["    at cell line 2: matmul(tensor([[1, 2]]), tensor([1, 2, 3]))"]);
  });

  it("shows an error a timer throws, and a promise rejected with no handler, on stderr of the cell that is running", async () => {
    // Timers of equal delay fire in the order they were set: the throw, the rejection, then the cell
    // goes on (the rejection is reported once the task that made it is over: a second await leaves room).
    const msgs = await run(
      'function late(): void {\n  throw new Error("from a timer");\n}\nsetTimeout(late, 0);\nsetTimeout(() => void Promise.reject(new TypeError("nobody awaits")), 0);\nawait new Promise((r) => setTimeout(r, 0));\nawait new Promise((r) => setTimeout(r, 0));\n"after"',
    );
    expect(msgs.map((m) => (m.type === "stream" ? `${m.name}: ${m.text}` : m.type))).toEqual([
      'stderr: Uncaught Error: from a timer\n    at late, In [9], line 2: throw new Error("from a timer");\n',
      'stderr: Unhandled promise rejection: TypeError: nobody awaits\n    at In [9], line 5: setTimeout(() => void Promise.reject(new TypeError("nobody awaits")), 0);\n',
      "done",
    ]);
    expect(value(msgs)).toBe("after");
  });

  it("answers process.exit in a cell with a SystemExit, keeping the notebook's values", async () => {
    expect(error(await run("process.exit(1)"))).toEqual({
      ename: "SystemExit",
      evalue:
        "process.exit(1) was called: the kernel keeps running and your variables are kept (to stop the kernel, shut it down or restart it from the notebook)",
      traceback: [
        "SystemExit: process.exit(1) was called: the kernel keeps running and your variables are kept (to stop the kernel, shut it down or restart it from the notebook)",
        "    at cell line 1: process.exit(1)",
      ],
    });
    expect(value(await run("answer"))).toBe("43");
  });

  it("draws %backprop's table and %graph's picture, the adjoints equal to the closed form", async () => {
    value(
      await run(
        "const x = tensor([1, 2]);\nconst w = tensor([0.5, -0.1]);\nconst f = (x: Tensor, w: Tensor): Tensor => sigmoid(dot(w, x));",
      ),
    );
    const backprop = await run("%backprop f(x, w)");
    expect(backprop.map((m) => (m.type === "display" ? Object.keys(m.data).sort().join(" ") : m.type))).toEqual([
      "text/html text/plain",
      "done",
    ]);
    const table = String((backprop[0] as Extract<HostMessage, { type: "display" }>).data["text/plain"]);
    // ∂σ(w·x)/∂w = σ'(z) x and ∂/∂x = σ'(z) w, z = w·x = 0.3
    const s = sigmoid(0.5 * 1 - 0.1 * 2);
    const row = (name: string) => JSON.parse(new RegExp(`^${name}\\s+ū\\d\\s+\\[2\\]\\s+(\\[.*\\])$`, "m").exec(table)![1]!) as number[];
    row("∂f/∂w").forEach((g, i) => expect(g).toBeCloseTo(s * (1 - s) * [1, 2][i]!, 3));
    row("∂f/∂x").forEach((g, i) => expect(g).toBeCloseTo(s * (1 - s) * [0.5, -0.1][i]!, 3));
    const graph = await run("%graph f(x, w)");
    expect(graph.map((m) => (m.type === "display" ? Object.keys(m.data).sort().join(" ") : m.type))).toEqual([
      "image/svg+xml text/plain",
      "done",
    ]);
  });

  it("runs %forward, %gradcheck (autodiff against the closed form) and %interact backprop's widgets", async () => {
    const forward = await run("%forward f(x, w)");
    expect(forward.map((m) => (m.type === "display" ? Object.keys(m.data).sort().join(" ") : m.type))).toEqual([
      "text/html text/plain",
      "done",
    ]);
    const check = await run("const fw = (w: Tensor): Tensor => f(x, w);\n%gradcheck fw w");
    const report = String((check[0] as Extract<HostMessage, { type: "display" }>).data["text/plain"]);
    expect(report).toMatch(/: PASSED \(gradient 2\/2 entries ok\)/);
    const s = sigmoid(0.5 * 1 - 0.1 * 2);
    for (const [i, xi] of [1, 2].entries()) {
      const autodiff = Number(new RegExp(`^\\[${i}\\]\\s+(\\S+)`, "m").exec(report)![1]);
      expect(autodiff).toBeCloseTo(s * (1 - s) * xi, 7);
    }
    const widgets = await run("%interact backprop f(x, w) --entries w[0]");
    const opens = widgets.filter((m) => m.type === "comm" && m.msgType === "comm_open");
    expect(opens.length).toBeGreaterThan(2);
    const shown = widgets.find((m) => m.type === "display");
    expect(shown?.type === "display" && Object.keys(shown.data).sort()).toEqual(["application/vnd.jupyter.widget-view+json", "text/plain"]);
  });

  it("prints with %precision's digits and lists the notebook's names with %who", async () => {
    expect(stdout(await run("%precision 3"))).toBe("precision: tensors 3 decimals, tables 3 significant digits\n");
    expect(value(await run("tensor([Math.PI, Math.E])"))).toBe(`tensor([${Math.PI.toFixed(3)}, ${Math.E.toFixed(3)}])`);
    expect(stdout(await run("%precision"))).toBe("precision: the defaults\n");
    // (what the notebook declared and imported, sorted; nothing of the failed cells, `fine` and `wrong`)
    expect(stdout(await run("%who"))).toBe(
      ["answer", "boom", "dot", "f", "fw", "grad", "late", "matmul", "mul", "sigmoid", "sin", "slider", "tensor", "w", "x", "y"].join(
        "\t",
      ) + "\n",
    );
  });

  it("completes and inspects with the language service and the magics' registry", async () => {
    expect(ok(await ask("complete", "answer.toFi")).reply).toEqual({
      matches: ["toFixed"],
      cursor_start: 7,
      cursor_end: 11,
      metadata: {},
    });
    expect(ok(await ask("complete", "%backp")).reply).toEqual({ matches: ["%backprop"], cursor_start: 0, cursor_end: 6, metadata: {} });
    expect(ok(await ask("inspect", "answer", 3)).reply).toEqual({
      found: true,
      data: { "text/plain": "const answer: 43" },
      metadata: {},
    });
    const info = ok(await ask("inspect", "grad", 2)).reply as { data: { "text/plain": string } };
    expect(info.data["text/plain"]).toMatch(/^\(alias\) function grad<.*\nimport grad\n\nThe gradient of a scalar function/);
    const help = ok(await ask("inspect", "%backprop f(x, w)", 3)).reply as { data: { "text/plain": string } };
    expect(help.data["text/plain"]).toMatch(/^%backprop f\(x, w, b\)/);
  });

  it("opens an ipywidgets slider's comms and answers the front end's comm_msg and comm_open", async () => {
    const opened = await run(
      'const s = slider({ min: 0, max: 2, step: 0.25, value: 1, description: "x" });\nconst seen: number[] = [];\ns.observe(({ new: v }) => void seen.push(v));\ns',
    );
    const opens = opened.filter((m): m is Extract<HostMessage, { type: "comm" }> => m.type === "comm");
    expect(
      opens.map((m) => [m.msgType, m.content.target_name, (m.content.data as { state: { _model_name: string } }).state._model_name]),
    ).toEqual([
      ["comm_open", "jupyter.widget", "LayoutModel"],
      ["comm_open", "jupyter.widget", "SliderStyleModel"],
      ["comm_open", "jupyter.widget", "FloatSliderModel"],
    ]);
    const model = String(opens[2]!.content.comm_id);
    expect(ok(opened).result?.data).toMatchObject({
      "application/vnd.jupyter.widget-view+json": { version_major: 2, version_minor: 1, model_id: model },
    });
    const update = (v: number) => comm("comm_msg", { comm_id: model, data: { method: "update", state: { value: v }, buffer_paths: [] } });
    expect((await update(1.5)).map((m) => m.type)).toEqual(["comm-done"]);
    const clamped = await update(7);
    expect(clamped.map((m) => m.type)).toEqual(["comm", "comm-done"]);
    expect(clamped[0]).toMatchObject({ msgType: "comm_msg", content: { comm_id: model, data: { method: "update", state: { value: 2 } } } });
    expect(value(await run("`${s.value} ${seen.join(',')}`"))).toBe("2 1.5,2");
    const refused = await comm("comm_open", { comm_id: "front-end-1", target_name: "nobody", data: {} });
    expect(refused[0]).toMatchObject({ type: "comm", msgType: "comm_close", content: { comm_id: "front-end-1", data: {} } });
  });

  it("times code with %time and %timeit, CPU times where the host has the process's (Node)", async () => {
    const clock = "\\d+(?:\\.\\d+)? (?:s|ms|µs|ns)";
    const timed = await execute("%time 6 * 7");
    expect(value(timed)).toBe("42");
    const wall = `Wall time: ${clock}\n`;
    const cpu = `CPU times: user ${clock}, sys: ${clock}, total: ${clock}\n`;
    expect(stdout(timed)).toMatch(new RegExp(`^${host.name === "node" ? cpu : ""}${wall}$`));
    const loops = await execute("%timeit -n 10 -r 2 6 * 7");
    expect(stdout(loops)).toMatch(new RegExp(`^${clock} ± ${clock} per loop \\(mean ± std\\. dev\\. of 2 runs, 10 loops each\\)\n$`));
  });

  it("runs %sh on Node; in the browser says it needs the installed kernel", async () => {
    const msgs = await execute("%sh echo from-a-shell");
    if (host.name === "node") expect(stdout(msgs)).toBe("from-a-shell\n");
    else expect(error(msgs).evalue).toBe("%sh needs the installed kernel (npm install -g gradlab): a browser has no shell");
  });

  it("speaks Russian after %language ru: the magic's line, a type error and a library error", async () => {
    expect(stdout(await run("%language ru"))).toBe("язык: ru (русский)\n");
    expect(error(await run('const q: number = "s";')).evalue).toBe(
      'строка 1:7 - Тип "string" не может быть назначен для типа "number". (TS2322)',
    );
    expect(error(await run("matmul(tensor([[1, 2]]), tensor([1, 2, 3]))")).evalue).toBe(
      "matmul: внутренние размерности не совпадают: [1,2] @ [3]",
    );
    expect(stdout(await run("%language en"))).toBe("language: en (English)\n");
  });
});

describe("the two hosts", () => {
  it("sent the same messages for every case but %sh and the timings", () => {
    const cases = [...transcripts.node.keys()];
    expect(cases.length).toBeGreaterThan(25);
    expect([...transcripts.browser.keys()]).toEqual(cases);
    for (const c of cases) expect(transcripts.browser.get(c), c).toEqual(transcripts.node.get(c));
  });
});
