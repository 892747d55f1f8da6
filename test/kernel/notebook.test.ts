/**
 * @file The real kernel started in a notebook directory under /tmp: `import from "gradlab"`,
 * display (Jupyter.display values, display(), display ids, tslab's API) and every built-in magic.
 */
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import type { JupyterMessage } from "../../cli/client/messages.js";
import { resultText, startKernel, streamText } from "./helpers.js";

let kc: KernelClient;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlab-nb-"));
  kc = await startKernel({ cwd: dir });
});
afterAll(async () => {
  await kc?.close();
});

describe("a notebook outside the repository", () => {
  it('imports "gradlab" with types and runs it: d(x²)/dx at 3 is 6', async () => {
    const r = await kc.execute(
      'import { grad, tensor, mul, type Tensor } from "gradlab";\nconst sq = (x: Tensor): Tensor => mul(x, x);\ngrad(sq)(tensor(3)).item()',
    );
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
    expect(Number(resultText(r))).toBeAllclose(6);
    const typed = await kc.execute("const bad: string = grad(sq)(tensor(3));");
    expect(typed.error?.evalue).toContain("is not assignable to type 'string'");
  });

  it("inspects the callee inside a call's parentheses, and completes a tensor's members without the internal _ ones", async () => {
    const code = "grad(sq, ";
    const r = await kc.request("shell", "inspect_request", { code, cursor_pos: code.length, detail_level: 0 });
    expect(r.content).toMatchObject({ status: "ok", found: true });
    expect((r.content.data as Record<string, string>)["text/plain"]).toMatch(/grad/);
    const members = (await kc.request("shell", "complete_request", { code: "tensor(3).", cursor_pos: 10 })).content.matches as string[];
    expect(members).toContain("item");
    expect(members.filter((m) => m.startsWith("_"))).toEqual([]);
  });
});

describe("display", () => {
  it("renders a [Symbol.for('Jupyter.display')] value as its bundle, last expression and display()", async () => {
    const def = 'const card = { [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>card</b>", "text/plain": "card" }; } };';
    const r = await kc.execute(`${def}\ndisplay(card);\ncard`);
    expect(r.outputs).toEqual([
      { output_type: "display_data", data: { "text/html": "<b>card</b>", "text/plain": "card" }, metadata: {} },
      expect.objectContaining({ output_type: "execute_result", data: { "text/html": "<b>card</b>", "text/plain": "card" } }),
    ]);
  });

  it("offers html/markdown/latex/svg/png/bundle helpers and tslab's display API", async () => {
    const r = await kc.execute(
      'display.html("<i>h</i>"); display.markdown("# m"); display.latex("$x$"); display.svg("<svg/>");\n' +
        'display.png(new Uint8Array([1, 2, 3])); display.bundle({ "application/json": { a: 1 } });\n' +
        'import * as tslab from "tslab";\ntslab.display.html("<u>t</u>");',
    );
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
    expect(r.outputs.map((o) => Object.keys((o as { data: object }).data))).toEqual([
      ["text/html"],
      ["text/markdown"],
      ["text/latex"],
      ["image/svg+xml"],
      ["image/png"],
      ["application/json"],
      ["text/html"],
    ]);
    expect((r.outputs[4] as { data: Record<string, unknown> }).data["image/png"]).toBe(Buffer.from([1, 2, 3]).toString("base64"));
  });

  it("updates a display by id with update_display_data", async () => {
    const seen: JupyterMessage[] = [];
    const off = kc.onMessage("iopub", (m) => /display_data$/.test(m.header.msg_type) && seen.push(m));
    const r = await kc.execute(
      'const bar = display.newDisplay();\nbar.text("0%");\nbar.text("100%");\ndisplay.text("x", { displayId: "fixed" });\ndisplay.text("y", { displayId: "fixed", update: true });',
    );
    off();
    expect(r.status).toBe("ok");
    const rows = seen.map((m) => [
      m.header.msg_type,
      (m.content.data as Record<string, unknown>)["text/plain"],
      (m.content.transient as { display_id?: string }).display_id,
    ]);
    expect(rows.map((x) => x.slice(0, 2))).toEqual([
      ["display_data", "0%"],
      ["update_display_data", "100%"],
      ["display_data", "x"],
      ["update_display_data", "y"],
    ]);
    expect(rows[0][2]).toBe(rows[1][2]);
    expect(rows[3][2]).toBe("fixed");
    const bad = await kc.execute('display.text("z", { update: true })');
    expect(bad.error?.evalue).toBe("display: expected a displayId with update: true, got none");
  });

  it("clears output with display.clear()", async () => {
    const seen: string[] = [];
    const off = kc.onMessage("iopub", (m) => seen.push(m.header.msg_type));
    await kc.execute('console.log("a"); display.clear(true); console.log("b")');
    off();
    expect(seen).toContain("clear_output");
  });
});

describe("magics", () => {
  it("%lsmagic lists the built-ins; %name? pages help; unknown names get a suggestion", async () => {
    const ls = streamText((await kc.execute("%lsmagic")).outputs);
    for (const m of [
      "%time",
      "%timeit",
      "%who",
      "%whos",
      "%sh",
      "%npm",
      "%lsmagic",
      "%%html",
      "%%markdown",
      "%%latex",
      "%%svg",
      "%%time",
      "%%timeit",
      "%%sh",
      "%%writefile",
    ]) {
      expect(ls).toContain(m);
    }
    const help = (await kc.execute("%timeit?")).reply.payload as { source: string; data: Record<string, string> }[];
    expect(help).toEqual([expect.objectContaining({ source: "page" })]);
    expect(help[0].data["text/plain"]).toMatch(/^%timeit \[-n N\] \[-r R\] expression/);
    const unknown = await kc.execute("%whoo");
    expect(unknown.error).toMatchObject({
      ename: "UsageError",
      evalue: "unknown magic %whoo; did you mean %who? (%lsmagic lists them all)",
    });
  });

  it("complete_request offers magic names after % and %%", async () => {
    const r = await kc.request("shell", "complete_request", { code: "%tim", cursor_pos: 4 });
    expect(r.content).toMatchObject({ status: "ok", cursor_start: 0, cursor_end: 4, matches: ["%time", "%timeit"] });
    const cell = await kc.request("shell", "complete_request", { code: "%%wr", cursor_pos: 4 });
    expect(cell.content.matches).toEqual(["%%writefile"]);
    const help = await kc.request("shell", "inspect_request", { code: "%timeit -n 3 f()", cursor_pos: 3, detail_level: 0 });
    expect(help.content).toMatchObject({ status: "ok", found: true });
    expect((help.content.data as Record<string, string>)["text/plain"]).toMatch(/^%timeit \[-n N\] \[-r R\]/);
  });

  it("bad magic input is a one-line error naming the magic and usage; state survives", async () => {
    await kc.execute("let survivor = 41;");
    const r = await kc.execute("%timeit -q survivor + 1");
    expect(r.error?.ename).toBe("UsageError");
    expect(r.error?.evalue).toBe("%timeit: unknown flag -q (usage: %timeit [-n N] [-r R] expression  |  %%timeit [-n N] [-r R] (cell))");
    expect((await kc.execute("%timeit -n 2 -r 1 survivor +")).error?.ename).toBe("TSError");
    expect(resultText(await kc.execute("survivor + 1"))).toBe("42");
  });

  it("%timeit and %%timeit print IPython's summary line; %time and %%time CPU and wall time", async () => {
    await kc.execute("function work(n: number) { let s = 0; for (let i = 0; i < n; i++) s += i; return s; }");
    const summary = /^\d[\d.]* (ns|µs|ms|s) ± \d[\d.]* (ns|µs|ms|s) per loop \(mean ± std\. dev\. of 3 runs, 20 loops each\)\n$/;
    expect(streamText((await kc.execute("%timeit -n 20 -r 3 work(100)")).outputs)).toMatch(summary);
    expect(streamText((await kc.execute("%%timeit -n 20 -r 3\nwork(50);\nwork(50);")).outputs)).toMatch(summary);
    const t = await kc.execute("%time const timed = work(10)");
    expect(streamText(t.outputs)).toMatch(/^CPU times: user .+, sys: .+, total: .+\nWall time: .+\n$/);
    expect(resultText(await kc.execute("timed"))).toBe("45");
    expect(streamText((await kc.execute("%%time\nwork(3)")).outputs)).toContain("Wall time:");
  });

  it("mixes magics and TypeScript in one cell, in order", async () => {
    const r = await kc.execute("const mixA = 2;\n%who\nmixA * 5");
    expect(streamText(r.outputs)).toMatch(/\bmixA\b/);
    expect(resultText(r)).toBe("10");
  });

  it("%whos shows type, shape and entries for tensors", async () => {
    await kc.execute('import { zeros } from "gradlab";\nconst W = zeros([2, 3]);');
    const text = streamText((await kc.execute("%whos")).outputs);
    expect(text).toMatch(/^Variable\s+Type\s+Data\/Info\n-+\n/);
    // with its entries (in the %precision digits)
    expect(text).toMatch(/\nW\s+Tensor\s+shape \[2, 3\]: \[\[0, …, 0\], \[0, …, 0\]\]\n/);
    expect(text).not.toMatch(/\ndisplay\s/);
  });

  it("%%html, %%markdown, %%latex and %%svg render their cell", async () => {
    for (const [magic, mime] of [
      ["html", "text/html"],
      ["markdown", "text/markdown"],
      ["latex", "text/latex"],
      ["svg", "image/svg+xml"],
    ]) {
      const r = await kc.execute(`%%${magic}\nbody of ${magic}`);
      expect(r.outputs).toEqual([
        { output_type: "display_data", data: { [mime]: `body of ${magic}`, "text/plain": `body of ${magic}` }, metadata: {} },
      ]);
    }
  });

  it("%sh and %%sh stream output; a failing command is an error", async () => {
    const r = await kc.execute("%sh echo one; echo two >&2");
    expect(streamText(r.outputs)).toBe("one\n");
    expect(streamText(r.outputs, "stderr")).toBe("two\n");
    expect(streamText((await kc.execute("%%sh\npwd")).outputs).trim()).toBe(dir);
    expect((await kc.execute("%sh exit 3")).error).toMatchObject({ ename: "ShellError", evalue: "command exited with status 3: exit 3" });
  });

  it("%npm install makes a package importable (with types) in the next cell", async () => {
    const pkg = join(dir, "local-pkg");
    mkdirSync(pkg);
    writeFileSync(
      join(pkg, "package.json"),
      JSON.stringify({ name: "local-pkg", version: "1.0.0", main: "index.js", types: "index.d.ts" }),
    );
    writeFileSync(join(pkg, "index.js"), "exports.triple = (x) => 3 * x;\n");
    writeFileSync(join(pkg, "index.d.ts"), "export declare function triple(x: number): number;\n");
    const install = await kc.execute("%npm install ./local-pkg");
    expect(install.status, JSON.stringify(install.outputs)).toBe("ok");
    const r = await kc.execute('import { triple } from "local-pkg";\ntriple(14)');
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
    expect(resultText(r)).toBe("42");
    expect((await kc.execute("%npm")).error?.evalue).toBe(
      "%npm: missing subcommand (usage: %npm install <package>[@version] | <path> ...)",
    );
    expect((await kc.execute("%npm install")).error?.evalue).toContain("%npm: missing package name");
  });
});

describe("cells and local modules", () => {
  it("imports a local .ts module (with types), and sees it again after it is edited", async () => {
    const cell = 'import { square } from "./helper";\nsquare(7)';
    expect((await kc.execute(cell)).error?.evalue).toContain("Cannot find module './helper'");
    // Written after the failed import: running the same cell again finds it.
    writeFileSync(join(dir, "helper.ts"), "export function square(x: number): number { return x * x; }\n");
    const r = await kc.execute(cell);
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
    expect(resultText(r)).toBe("49");
    expect((await kc.execute("const s: string = square(2);")).error?.evalue).toContain("is not assignable to type 'string'");
    // A later edit (new mtime) is compiled again when a cell imports the module.
    writeFileSync(join(dir, "helper.ts"), "export function square(x: number): number { return x * x + 1; }\n");
    utimesSync(join(dir, "helper.ts"), new Date(), new Date(Date.now() + 5000));
    const again = await kc.execute('import { square as sq2 } from "./helper";\nsq2(7)');
    expect(again.status, JSON.stringify(again.error)).toBe("ok");
    expect(resultText(again)).toBe("50");
  });

  it("%%writefile writes a module that the next cell imports; -a appends", async () => {
    const w = await kc.execute("%%writefile cube.ts\nexport const cube = (x: number): number => x ** 3;");
    expect(w.status, JSON.stringify(w.error)).toBe("ok");
    expect(streamText(w.outputs)).toBe("Writing cube.ts\n");
    const r = await kc.execute('import { cube } from "./cube";\ncube(3)');
    expect(resultText(r)).toBe("27");
    const a = await kc.execute("%%writefile -a cube.ts\nexport const four = 4;");
    expect(streamText(a.outputs)).toBe("Appending to cube.ts\n");
    expect(readFileSync(join(dir, "cube.ts"), "utf8")).toBe("export const cube = (x: number): number => x ** 3;\nexport const four = 4;\n");
    expect(streamText((await kc.execute("%%writefile cube.ts\nexport const cube = 0;")).outputs)).toBe("Overwriting cube.ts\n");
    expect((await kc.execute("%%writefile no/such/dir/x.ts\n1")).error?.evalue).toContain("cannot write no/such/dir/x.ts: ENOENT");
    expect((await kc.execute("%%writefile\n1")).error?.evalue).toBe(
      "%%writefile: missing file name (usage: %%writefile [-a|--append] path)",
    );
  });

  it("reads earlier names in shorthand properties and leaves property names alone", async () => {
    await kc.execute("const alpha = 2;\nconst beta = 3;\ninterface Pt { alpha: number }\nconst pt: Pt = { alpha: 10 };");
    const r = await kc.execute("const both = { alpha, beta };\nconst { alpha: inner } = pt;\n[both.alpha, both.beta, inner].join(',')");
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
    expect(resultText(r)).toBe("2,3,10");
  });

  it("runs a top-level for await loop", async () => {
    const r = await kc.execute("let total = 0;\nfor await (const v of [Promise.resolve(20), 22]) total += v;\ntotal");
    expect(r.status, JSON.stringify(r.error)).toBe("ok");
    expect(resultText(r)).toBe("42");
  });

  it("a library error deep under grad shows the cell's frames, library frames folded", async () => {
    const r = await kc.execute(
      'import { tensor as t2, grad as g2, sum as s2, add as a2 } from "gradlab";\nconst av = t2([1, 2]);\nfunction bad(v: typeof av) {\n  return a2(v, t2([1, 2, 3]));\n}\ng2((v) => s2(bad(v)))(av)',
    );
    expect(r.error?.evalue).toBe("add: shapes cannot be broadcast: [2] and [3]");
    const tb = r.error!.traceback.slice(1).map((l) => l.replace(/\(\d+ frames? inside gradlab\)/, "(N inside gradlab)"));
    expect(tb).toEqual([
      "    (N inside gradlab)",
      "    at bad, cell line 4: return a2(v, t2([1, 2, 3]));",
      "    at cell line 6: g2((v) => s2(bad(v)))(av)",
      "    (N inside gradlab)",
      "    at cell line 6: g2((v) => s2(bad(v)))(av)",
    ]);
  });

  it("shows a value followed only by type declarations", async () => {
    const r = await kc.execute("6 * 7;\ninterface Later { q: number }");
    expect(resultText(r)).toBe("42");
  });
});
