/** @file `gradlab run --server` against a real Debian `jupyter notebook` on loopback (kernelspec from the test's JUPYTER_PATH). */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Notebook } from "../../../cli/notebook/notebook.js";
import { gradlab, scratchCopy } from "../helpers.js";
import { addKernelSpec, startJupyterServer, type JupyterServer } from "../../support/jupyter-server.js";

const IPYKERNEL = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"];

describe("gradlab run --server", () => {
  let server: JupyterServer;
  beforeAll(async () => {
    // A kernelspec only the server knows: embedded mode could not find "server-only-py".
    server = await startJupyterServer((dir) =>
      addKernelSpec(dir, "server-only-py", { argv: IPYKERNEL, display_name: "Py (test)", language: "python" }),
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  function useKernel(path: string, name: string): void {
    const nb = JSON.parse(readFileSync(path, "utf8")) as Notebook;
    nb.metadata.kernelspec = { name, display_name: name, language: "python" };
    writeFileSync(path, JSON.stringify(nb));
  }

  it("executes notebooks on the server, with the same outputs, report and exit code as embedded mode", async () => {
    const dir = scratchCopy("python");
    useKernel(join(dir, "python", "ok.ipynb"), "server-only-py");
    useKernel(join(dir, "python", "fails.ipynb"), "server-only-py");
    const r = await gradlab(["run", join(dir, "python"), "--server", server.url, "--token", server.token, "--out", join(dir, "out")]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAILED .*fails\.ipynb, cell 3 \(id c3\): ValueError: bad value in cell three/);
    expect(r.stdout).toMatch(/ok\.ipynb\s+3\s+0/);
    expect(r.stdout).not.toContain("Starting WebSocket");
    const ok = JSON.parse(readFileSync(join(dir, "out", "ok.ipynb"), "utf8")) as Notebook;
    expect(ok.cells[1].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "<not a tag> & ok\n" },
      { output_type: "execute_result", execution_count: 1, data: { "text/plain": "42" }, metadata: {} },
    ]);
    expect(server.log()).toMatch(/Kernel started: .* name: server-only-py/);
  });

  it("runs a gradlab notebook with the kernelspec `gradlab install --prefix` wrote for the server", async () => {
    const install = await gradlab(["install", "--prefix", server.dir]);
    expect(install.code, install.stderr).toBe(0);
    const dir = scratchCopy("gradlab");
    const r = await gradlab([
      "run",
      join(dir, "gradlab", "typed-error.ipynb"),
      "--server",
      server.url,
      "--token",
      server.token,
      "--out",
      join(dir, "out"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED .*typed-error\.ipynb, cell 3 \(id g3\): \w+: .*not assignable to type 'string'/);
    const out = JSON.parse(readFileSync(join(dir, "out", "typed-error.ipynb"), "utf8")) as Notebook;
    expect(out.cells[1].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "2.5\n" }]);
    expect(server.log()).toMatch(/Kernel started: .* name: gradlab/);
  });

  it("grades homework on the server with gradlab check --server", async () => {
    const dir = scratchCopy("homework");
    const r = await gradlab([
      "check",
      join(dir, "homework"),
      "--server",
      server.url,
      "--token",
      server.token,
      "--out",
      join(dir, "grades"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, "grades", "check.csv"), "utf8")).toBe(
      "file,gradient,hessian,passed\nalice.ipynb,pass,fail,1\nbob.ipynb,fail,pass,1\n",
    );
  });

  it("starts each kernel in its notebook's folder under --server-root, else in the server's root", async () => {
    const sub = join(server.dir, "root", "week1");
    mkdirSync(sub, { recursive: true });
    const cell = {
      cell_type: "code",
      id: "w1",
      metadata: {},
      outputs: [],
      execution_count: null,
      source: ["import os\n", "print(os.getcwd())"],
    };
    const nb = {
      cells: [cell],
      metadata: { kernelspec: { name: "server-only-py", display_name: "Py", language: "python" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(join(sub, "where.ipynb"), JSON.stringify(nb));
    const printed = async (extra: string[]) => {
      const out = join(server.dir, `out-${extra.length}`);
      const r = await gradlab(["run", join(sub, "where.ipynb"), "--server", server.url, "--token", server.token, "--out", out, ...extra]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const done = JSON.parse(readFileSync(join(out, "where.ipynb"), "utf8")) as Notebook;
      return (done.cells[0]!.outputs![0] as { text: string }).text.trim();
    };
    expect(await printed(["--server-root", join(server.dir, "root")])).toBe(sub);
    // The repository (gradlab run's own folder) is not what the server serves: its root it is.
    expect(await printed([])).toBe(join(server.dir, "root"));
    expect((await gradlab(["run", "x", "--server-root", "/tmp"])).stderr).toContain("run: --server-root needs --server URL");
  });

  it("fails clearly with a wrong token", async () => {
    const dir = scratchCopy("python");
    const r = await gradlab([
      "run",
      join(dir, "python", "ok.ipynb"),
      "--server",
      server.url,
      "--token",
      "wrong",
      "--out",
      join(dir, "out"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED .*ok\.ipynb: run: the Jupyter server at http:\/\/127\.0\.0\.1:\d+\/ rejected the token \(HTTP 403\)/);
  });

  it("rejects --token without --server and a non-http URL", async () => {
    expect((await gradlab(["run", "x", "--token", "t"])).stderr).toContain("run: --token needs --server URL");
    expect((await gradlab(["run", "test/cli/fixtures/python", "--server", "ftp://h"])).stderr).toContain(
      'run: --server expects an http(s) URL, got "ftp://h"',
    );
  });
});
