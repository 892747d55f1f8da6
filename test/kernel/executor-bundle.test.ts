/**
 * @file The executor's bundle (kernel/node/executor-bundle.ts, scripts/bundle-executor.mjs): used
 * only while every file it was made from is unchanged, and a kernel run from it behaves as the
 * modules do one by one (one library instance for cells and magics, the library's class names,
 * tracebacks that fold the library's frames). The unbundled path keeps its own tests: the engine
 * host tests start child.js itself (test/support/engine-hosts.ts).
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { BUNDLE, BUNDLE_STAMP, bundleIsCurrent, isExecutorCommand } from "../../kernel/node/executor-bundle.js";
import { newTag, tagged } from "../support/procs.js";
import { REPO, resultText, startKernel, streamText } from "./helpers.js";

describe("bundleIsCurrent", () => {
  /** A dist/ with two modules, a bundle and its stamp as the build writes them. */
  function built(): { dist: string; bundle: string; stamp: string } {
    const dist = mkdtempSync(join(tmpdir(), "bundle-"));
    const bundle = join(dist, "bundle.js");
    const stamp = join(dist, "bundle.json");
    writeFileSync(join(dist, "a.js"), "export const a = 1;");
    writeFileSync(join(dist, "b.js"), "export const b = 2;");
    writeFileSync(bundle, "const a = 1, b = 2;");
    const inputs: Record<string, [number, number, string]> = {};
    for (const f of ["a.js", "b.js"]) {
      const st = statSync(join(dist, f));
      inputs[f] = [
        st.size,
        st.mtimeMs,
        createHash("sha1")
          .update(readFileSync(join(dist, f)))
          .digest("hex"),
      ];
    }
    writeFileSync(stamp, JSON.stringify({ inputs }));
    return { dist, bundle, stamp };
  }

  it("holds while every input is as it was (its mtime, else its content), and not once one is changed, resized or gone", () => {
    const b = built();
    expect(bundleIsCurrent(b.bundle, b.stamp, b.dist)).toBe(true);

    // Written again as it was, as npm installs a package: a new mtime, the same content.
    const installed = built();
    const later = new Date(statSync(join(installed.dist, "b.js")).mtimeMs + 5000);
    writeFileSync(join(installed.dist, "b.js"), "export const b = 2;");
    utimesSync(join(installed.dist, "b.js"), later, later);
    expect(bundleIsCurrent(installed.bundle, installed.stamp, installed.dist)).toBe(true);

    // The same size, another content.
    const edited = built();
    writeFileSync(join(edited.dist, "b.js"), "export const b = 3;");
    utimesSync(join(edited.dist, "b.js"), later, later);
    expect(bundleIsCurrent(edited.bundle, edited.stamp, edited.dist)).toBe(false);

    const resized = built();
    const st = statSync(join(resized.dist, "a.js"));
    writeFileSync(join(resized.dist, "a.js"), "export const a = 10;");
    utimesSync(join(resized.dist, "a.js"), st.atime, st.mtime);
    expect(bundleIsCurrent(resized.bundle, resized.stamp, resized.dist)).toBe(false);

    const gone = built();
    writeFileSync(gone.stamp, JSON.stringify({ inputs: { ...JSON.parse(readFileSync(gone.stamp, "utf8")).inputs, "c.js": [1, 1, "0"] } }));
    expect(bundleIsCurrent(gone.bundle, gone.stamp, gone.dist)).toBe(false);
  });

  it("does not hold without the bundle, without its stamp, or with a stamp that names no file", () => {
    const b = built();
    expect(bundleIsCurrent(join(b.dist, "missing.js"), b.stamp, b.dist)).toBe(false);
    expect(bundleIsCurrent(b.bundle, join(b.dist, "missing.json"), b.dist)).toBe(false);
    writeFileSync(b.stamp, JSON.stringify({ inputs: {} }));
    expect(bundleIsCurrent(b.bundle, b.stamp, b.dist)).toBe(false);
  });

  it("holds for the build: the bundle covers the executor's entry, the cell engine, the magics and the library", () => {
    const dist = join(REPO, "dist");
    const node = join(dist, "kernel", "node");
    expect(bundleIsCurrent(join(node, basename(BUNDLE)), join(node, basename(BUNDLE_STAMP)), dist)).toBe(true);
    const inputs = Object.keys((JSON.parse(readFileSync(join(node, basename(BUNDLE_STAMP)), "utf8")) as { inputs: object }).inputs);
    for (const f of ["kernel/node/child.js", "kernel/engine/executor.js", "kernel/magics/graph.js", "src/index.js", "src/tensor/tensor.js"])
      expect(inputs).toContain(f);
  });
});

describe("a kernel run from the bundle", () => {
  const clients: KernelClient[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  it("runs the bundle, with one library for cells and magics, its class names and its folded frames", async () => {
    const tag = newTag("bundle");
    const kc = await startKernel({ cwd: mkdtempSync(join(tmpdir(), "bundle-nb-")), env: { GRADLAB_TEST_TAG: tag } });
    clients.push(kc);
    expect((await kc.execute('import { tensor, grad } from "gradlab";\nconst x = tensor([1 / 3, 2]);')).status).toBe("ok");
    const commands = tagged(tag).map((pid) => readFileSync(`/proc/${pid}/cmdline`, "latin1").replaceAll("\0", " "));
    expect(commands.filter(isExecutorCommand).join("\n")).toContain("executor.bundle.js");

    // The class keeps its name (a bundler may rename a class that names itself).
    expect(resultText(await kc.execute("x.constructor.name"))).toBe("Tensor");
    // %precision sets the print options of the library the cell imported.
    expect((await kc.execute("%precision 2")).status).toBe("ok");
    expect(resultText(await kc.execute("x.toString()"))).toContain("0.33");
    expect(resultText(await kc.execute("x.toString()"))).not.toContain("0.333");
    // %whos sees the cell's tensors as tensors.
    expect(streamText((await kc.execute("%whos")).outputs)).toMatch(/^x\s+Tensor\s+shape \[2\]/m);
    // A library error raised inside the library: its frames folded into one line, the cell's kept.
    const err = await kc.execute("grad((v) => v.reshape([5]).sum())(x)");
    expect(err.status).toBe("error");
    const traceback = err.error!.traceback.join("\n");
    expect(traceback).toMatch(/frames? inside gradlab/);
    expect(traceback).toContain("cell line 1");
    expect(traceback).not.toContain("executor.bundle.js");
  });
});
