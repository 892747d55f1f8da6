/** @file `gradlab check --source --server` on a real Debian `jupyter notebook`: same grades as embedded, nothing left running on the server. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assignNotebook } from "../../../cli/homework/format.js";
import { notebookJson, readNotebook } from "../../../cli/notebook/notebook.js";
import { checkRows, gradlab, REPO } from "../helpers.js";
import { startJupyterServer, type JupyterServer } from "../../support/jupyter-server.js";

const SOURCE = join(REPO, "notebooks", "homework", "source");

describe("gradlab check --source --server", () => {
  let server: JupyterServer;
  beforeAll(async () => {
    server = await startJupyterServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const listed = async (what: "sessions" | "kernels") =>
    (await (await fetch(`${server.url}api/${what}`, { headers: { Authorization: `token ${server.token}` } })).json()) as unknown[];

  it("grades a solution, a blank copy, a tampered copy and a corrupt file, and leaves no kernel or session", async () => {
    const install = await gradlab(["install", "--prefix", server.dir]);
    expect(install.code, install.stderr).toBe(0);
    const subs = join(server.dir, "root", "class");
    mkdirSync(subs, { recursive: true });
    const source = readNotebook(join(SOURCE, "02-logdet.ipynb"));
    const copy = assignNotebook(source, "02-logdet");
    const tampered = structuredClone(copy);
    for (const c of tampered.cells) if ((c.metadata.tags ?? []).some((t) => t.startsWith("check:"))) c.source = "1;";
    writeFileSync(join(subs, "solution.ipynb"), notebookJson(source));
    writeFileSync(join(subs, "blank.ipynb"), notebookJson(copy));
    writeFileSync(join(subs, "tampered.ipynb"), notebookJson(tampered));
    writeFileSync(join(subs, "corrupt.ipynb"), "{ not json");
    const out = join(server.dir, "grades");
    const r = await gradlab([
      "check",
      "--source",
      SOURCE,
      subs,
      "--out",
      out,
      "--concurrency",
      "2",
      "--server",
      server.url,
      "--token",
      server.token,
      "--server-root",
      join(server.dir, "root"),
    ]);
    expect(r.code, r.stderr).toBe(1); // the corrupt file could not be graded
    const rows = checkRows(out);
    const ids = ["logdet-differential", "logdet-gradient", "logdet-second-differential", "logdet-inverse-gradient"];
    for (const id of ids) {
      expect([id, rows.get("solution.ipynb")!.grades[id]?.result]).toEqual([id, "pass"]);
      expect([id, rows.get("blank.ipynb")!.grades[id]?.message]).toEqual([id, `Error: ${id}: not answered yet`]);
      expect([id, rows.get("tampered.ipynb")!.grades[id]?.result]).toEqual([id, "fail"]);
    }
    // 5 automatic points; the written derivation (2 points) is graded by hand.
    expect([rows.get("solution.ipynb")!.score, rows.get("solution.ipynb")!.maxScore]).toEqual([5, 7]);
    expect(rows.get("tampered.ipynb")!.tampering?.modified).toEqual([
      "logdet-ex1-check",
      "logdet-ex2-check",
      "logdet-ex3-check",
      "logdet-ex4-check",
    ]);
    expect(rows.get("corrupt.ipynb")!.fatal).toMatch(/expected notebook JSON/);
    expect(server.log()).toMatch(/Kernel started: .* name: gradlab/);
    expect(await listed("sessions")).toEqual([]);
    expect(await listed("kernels")).toEqual([]);
  }, 600_000);
});
