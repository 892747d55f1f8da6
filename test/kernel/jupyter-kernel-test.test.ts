/**
 * @file Runs test/kernel/test_gradlab_kernel.py (a jupyter_kernel_test.KernelTests subclass)
 * with Debian's Jupyter against the gradlab kernelspec installed by `gradlab install --prefix`
 * into a temporary prefix; also checks `gradlab uninstall`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, REPO } from "./helpers.js";

const PY = "/usr/bin/python3";
let prefix: string;

const gradlab = (...args: string[]) => spawnSync(process.execPath, [join(REPO, "bin", "gradlab.js"), ...args], { encoding: "utf8" });

beforeAll(async () => {
  await ensureBuilt();
  prefix = mkdtempSync(join(tmpdir(), "gradlab-prefix-"));
});

describe("gradlab install / uninstall", () => {
  it("writes the gradlab kernelspec with absolute node and launcher paths", () => {
    const r = gradlab("install", "--prefix", prefix);
    expect(r.status, r.stderr).toBe(0);
    const spec = JSON.parse(readFileSync(join(prefix, "share", "jupyter", "kernels", "gradlab", "kernel.json"), "utf8"));
    expect(spec).toMatchObject({
      argv: [process.execPath, "--lite-mode", "--no-expose-wasm", join(REPO, "bin", "gradlab.js"), "kernel", "{connection_file}"],
      display_name: "TypeScript (gradlab)",
      language: "typescript",
      interrupt_mode: "signal",
    });
    const list = spawnSync(PY, ["-m", "jupyter", "kernelspec", "list", "--json"], {
      encoding: "utf8",
      env: { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter") },
    });
    expect(JSON.parse(list.stdout).kernelspecs.gradlab.resource_dir).toBe(join(prefix, "share", "jupyter", "kernels", "gradlab"));
    // plotly.js for the classic notebook server to serve to figures, the package's own copy.
    // Compared as bytes (Buffer.equals): toEqual would walk the 4.8 MB entry by entry.
    const served = readFileSync(join(prefix, "share", "jupyter", "nbextensions", "gradlab", "plotly.min.js"));
    const own = readFileSync(createRequire(import.meta.url).resolve("plotly.js-dist-min"));
    expect([served.length, served.equals(own)]).toEqual([own.length, true]);
  });

  it("rejects conflicting or unknown options with a usage message", () => {
    expect(gradlab("install", "--user", "--prefix", prefix).stderr).toContain("expected at most one of --user, --prefix, --sys-prefix");
    expect(gradlab("install", "--frob").stderr).toContain('gradlab install: unknown option "--frob"');
  });

  it("passes every jupyter_kernel_test check", () => {
    const r = spawnSync(PY, ["-m", "unittest", "-v", "test_gradlab_kernel"], {
      cwd: import.meta.dirname,
      encoding: "utf8",
      env: { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter"), PYDEVD_DISABLE_FILE_VALIDATION: "1" },
      timeout: 300_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Ran 12 tests/);
    expect(r.stderr).not.toMatch(/skipped/);
  }, 300_000);

  it("uninstall removes the kernelspec", () => {
    expect(gradlab("uninstall", "--prefix", prefix).status).toBe(0);
    expect(existsSync(join(prefix, "share", "jupyter", "kernels", "gradlab"))).toBe(false);
    expect(existsSync(join(prefix, "share", "jupyter", "nbextensions", "gradlab"))).toBe(false);
    expect(gradlab("uninstall", "--prefix", prefix).status).toBe(1);
  });
});
