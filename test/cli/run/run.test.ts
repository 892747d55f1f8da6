/** @file `gradlab run` end to end: the built CLI, real kernels (Debian's ipykernel), real files. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Notebook } from "../../../cli/notebook/notebook.js";
import { gradlab, scratchCopy } from "../helpers.js";

function load(path: string): Notebook {
  return JSON.parse(readFileSync(path, "utf8")) as Notebook;
}

describe("gradlab run", () => {
  it("stops a failing notebook at its first error, names the cell, exits nonzero and leaves the source untouched", async () => {
    const dir = scratchCopy("python");
    const src = join(dir, "python", "fails.ipynb");
    const before = readFileSync(src, "utf8");
    const r = await gradlab(["run", src, "--out", join(dir, "out")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED .*fails\.ipynb, cell 3 \(id c3\): ValueError: bad value in cell three/);
    expect(r.stdout).toMatch(/fails\.ipynb\s+2\s+1\s+\d+\.\d/); // summary row: 2 cells ran, 1 error
    expect(readFileSync(src, "utf8")).toBe(before);
    const out = load(join(dir, "out", "fails.ipynb"));
    expect(out.cells[0].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "first\n" }]);
    expect(out.cells[2].outputs?.[0]).toMatchObject({ output_type: "error", ename: "ValueError" });
    expect(out.cells[3]).toMatchObject({ outputs: [], execution_count: null }); // never ran
    expect(out.metadata.language_info?.name).toBe("python");
  });

  it("exits 0 on a clean folder, with a summary table and plain progress lines off a TTY", async () => {
    const dir = scratchCopy("python");
    const r = await gradlab(["run", join(dir, "python", "ok.ipynb"), "--out", join(dir, "out")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/notebook\s+cells\s+errors\s+seconds/);
    expect(r.stdout).toMatch(/ok\.ipynb\s+3\s+0\s/);
    expect(r.stderr).toMatch(/run: ok {3}\[1\/1\] .*ok\.ipynb \(3 cells/);
    expect(r.stderr).not.toContain("\x1b[");
    const out = load(join(dir, "out", "ok.ipynb"));
    expect(out.cells[1]).toMatchObject({
      execution_count: 1,
      outputs: [
        { output_type: "stream", name: "stdout", text: "<not a tag> & ok\n" },
        { output_type: "execute_result", execution_count: 1, data: { "text/plain": "42" } },
      ],
    });
  });

  it("writes outputs into the sources with --inplace, and runs notebooks concurrently", async () => {
    const dir = scratchCopy("python");
    const r = await gradlab(["run", join(dir, "python"), "--inplace", "--concurrency", "2"]);
    expect(r.code).toBe(1); // fails.ipynb fails, ok.ipynb still runs
    expect(r.stdout).toMatch(/ok\.ipynb\s+3\s+0/);
    const ok = load(join(dir, "python", "ok.ipynb"));
    expect(ok.cells[1].outputs?.length).toBe(2);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("rejects bad usage with a specific message and exit code 2", async () => {
    const unknown = await gradlab(["run", "--frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('run: unknown option "--frobnicate"');
    const missing = await gradlab(["run", "/nonexistent/nb.ipynb"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('run: expected a notebook file or folder, got "/nonexistent/nb.ipynb" (not found)');
    const timeout = await gradlab(["run", "x", "--timeout", "soon"]);
    expect(timeout.stderr).toContain('run: --timeout expects a positive number, got "soon"');
  });

  it("reports an unknown kernel as a failed notebook, not a crash", async () => {
    const dir = scratchCopy("python");
    const nb = load(join(dir, "python", "ok.ipynb"));
    nb.metadata.kernelspec = { name: "no-such-kernel" };
    writeFileSync(join(dir, "python", "ok.ipynb"), JSON.stringify(nb));
    const r = await gradlab(["run", join(dir, "python", "ok.ipynb"), "--out", join(dir, "out")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED .*ok\.ipynb: run: no kernelspec named "no-such-kernel"/);
  });

  it("times a cell out, interrupts the kernel and reports the cell", async () => {
    const dir = scratchCopy("python");
    const nb = load(join(dir, "python", "ok.ipynb"));
    nb.cells[1].source = "import time\ntime.sleep(60)";
    writeFileSync(join(dir, "python", "ok.ipynb"), JSON.stringify(nb));
    const r = await gradlab(["run", join(dir, "python", "ok.ipynb"), "--timeout", "1", "--out", join(dir, "out")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED .*ok\.ipynb, cell 2 \(id c2\): CellTimeoutError: execute: no reply within 1000 ms/);
  });
});

describe("gradlab run display updates", () => {
  it("applies update_display_data to the cell that showed the display, as nbclient does", async () => {
    const dir = scratchCopy("display");
    const r = await gradlab(["run", join(dir, "display", "update.ipynb"), "--out", join(dir, "out")]);
    expect(r.code, r.stdout).toBe(0);
    const out = load(join(dir, "out", "update.ipynb"));
    expect(out.cells[0].outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "'v2'" }, metadata: {} }]);
    expect(out.cells[2].outputs).toMatchObject([{ output_type: "execute_result", data: { "text/plain": "'updated'" } }]);
  });
});
