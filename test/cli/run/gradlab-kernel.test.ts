/** @file `gradlab run` / `check` with the real gradlab kernel (this checkout's dist). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Notebook } from "../../../cli/notebook/notebook.js";
import { gradlab, scratchCopy } from "../helpers.js";

describe("gradlab run with the gradlab kernel", () => {
  it("stops at a TypeScript type error, names the cell, exits 1 and keeps the source", async () => {
    const dir = scratchCopy("gradlab");
    const src = join(dir, "gradlab", "typed-error.ipynb");
    const before = readFileSync(src, "utf8");
    const r = await gradlab(["run", src, "--out", join(dir, "out")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED .*typed-error\.ipynb, cell 3 \(id g3\): \w+: .*not assignable to type 'string'/);
    expect(readFileSync(src, "utf8")).toBe(before);
    const out = JSON.parse(readFileSync(join(dir, "out", "typed-error.ipynb"), "utf8")) as Notebook;
    expect(out.cells[1].outputs).toEqual([{ output_type: "stream", name: "stdout", text: "2.5\n" }]);
    expect(out.cells[3].execution_count).toBeNull();
    expect(out.metadata.language_info?.name).toBe("typescript");
  });

  it('uses the gradlab kernel when the notebook names none, and `import from "gradlab"` works next to it', async () => {
    const dir = scratchCopy("gradlab");
    const r = await gradlab(["run", join(dir, "gradlab", "no-kernelspec.ipynb"), "--out", join(dir, "out")]);
    expect(r.code, r.stdout).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, "out", "no-kernelspec.ipynb"), "utf8")) as Notebook;
    // d/dx sum(x * x) = 2x at x = [1, 2, 3]
    const result = out.cells[0].outputs?.find((o) => o.output_type === "execute_result");
    expect(result && "data" in result ? String(result.data["text/plain"]).replace(/\s+/g, " ") : "").toMatch(/\[ ?2, 4, 6 ?\]/);
  });
});
