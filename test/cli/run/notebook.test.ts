/** @file Finding, reading and serialising notebooks. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findNotebooks, kernelName, notebookJson, readNotebook } from "../../../cli/notebook/notebook.js";

function tree(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-nb-"));
  for (const f of files) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}');
  }
  return dir;
}

describe("findNotebooks", () => {
  it("walks folders in sorted order, skipping checkpoints, keeping sub-folders in rel", () => {
    const dir = tree(["b.ipynb", "a.ipynb", "sub/c.ipynb", ".ipynb_checkpoints/a-checkpoint.ipynb", "notes.txt"]);
    expect(findNotebooks([dir]).map((f) => f.rel)).toEqual(["a.ipynb", "b.ipynb", "sub/c.ipynb"]);
  });

  it("skips excluded folders such as the output folder", () => {
    const dir = tree(["a.ipynb", "out/a.ipynb", "out/sub/b.ipynb"]);
    expect(findNotebooks([dir], [join(dir, "out")]).map((f) => f.rel)).toEqual(["a.ipynb"]);
  });

  it("keeps file arguments apart below their common folder", () => {
    const dir = tree(["alice/hw.ipynb", "bob/hw.ipynb"]);
    expect(findNotebooks([join(dir, "alice/hw.ipynb"), join(dir, "bob/hw.ipynb")]).map((f) => f.rel)).toEqual([
      "alice/hw.ipynb",
      "bob/hw.ipynb",
    ]);
    expect(findNotebooks([join(dir, "alice/hw.ipynb")]).map((f) => f.rel)).toEqual(["hw.ipynb"]);
  });

  it("mirrors folders given together below their common folder, so outputs never collide", () => {
    const dir = tree(["x/n.ipynb", "x/sub/m.ipynb", "y/n.ipynb"]);
    expect(findNotebooks([join(dir, "x"), join(dir, "y"), join(dir, "x/sub/m.ipynb")]).map((f) => f.rel)).toEqual([
      "x/n.ipynb",
      "x/sub/m.ipynb",
      "y/n.ipynb",
    ]);
  });

  it("rejects files that are not notebooks", () => {
    const dir = tree(["a.ipynb"]);
    writeFileSync(join(dir, "a.txt"), "");
    expect(() => findNotebooks([join(dir, "a.txt")])).toThrow(/run: expected an \.ipynb file, got ".*a\.txt"/);
  });
});

describe("readNotebook", () => {
  it("names the file and the problem for broken notebooks", () => {
    const dir = tree([]);
    writeFileSync(join(dir, "bad.ipynb"), "{not json");
    expect(() => readNotebook(join(dir, "bad.ipynb"))).toThrow(/read .*bad\.ipynb: expected notebook JSON, got/);
    writeFileSync(join(dir, "v3.ipynb"), '{"nbformat": 3, "cells": []}');
    expect(() => readNotebook(join(dir, "v3.ipynb"))).toThrow(/expected nbformat 4, got 3/);
    writeFileSync(join(dir, "cell.ipynb"), '{"nbformat": 4, "cells": [{"cell_type": "weird"}]}');
    expect(() => readNotebook(join(dir, "cell.ipynb"))).toThrow(/cell 1: expected cell_type code, markdown or raw, got weird/);
  });

  it("defaults the kernel to gradlab and serialises with sorted keys like nbformat", () => {
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: { z: 1, a: { y: 2, b: 3 } }, cells: [] };
    expect(kernelName(nb)).toBe("gradlab");
    expect(notebookJson(nb)).toBe(
      '{\n "cells": [],\n "metadata": {\n  "a": {\n   "b": 3,\n   "y": 2\n  },\n  "z": 1\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n',
    );
  });
});
