/** @file The cell compiler's `modulesStamp`: it changes when a local module changes on disk, so a memoized conversion is not reused. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { createTsConverter } from "../../kernel/engine/compiler/index.js";

it("modulesStamp changes when a local module's text changes, and only then", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-stamp-"));
  writeFileSync(join(dir, "m.ts"), "export const f = (x: number): number => x * 10;\n");
  const conv = createTsConverter(dir);
  try {
    const first = conv.convert("", 'import { f } from "./m";\nf(2)');
    expect(first.diagnostics).toEqual([]);
    const stamp = conv.modulesStamp();
    expect(conv.modulesStamp()).toBe(stamp);
    const next = conv.convert(first.declOutput!, "f(2)");
    expect(next.diagnostics).toEqual([]);
    expect(conv.modulesStamp()).toBe(stamp);
    // Written twice in a row: the text differs even when the mtime does not.
    writeFileSync(join(dir, "m.ts"), "export const f = (x: number, y: number): number => x * y;\n");
    const changed = conv.modulesStamp();
    expect(changed).not.toBe(stamp);
    expect(conv.modulesStamp()).toBe(changed);
    // The same cell, converted again, is checked against the edited module.
    expect(conv.convert(first.declOutput!, "f(2)").diagnostics.map((d) => d.code)).toEqual([2554]);
    const rebound = conv.convert(first.declOutput!, "f(2, 3)");
    expect(rebound.diagnostics).toEqual([]);
    expect(rebound.output).toContain('require("./m")');
    expect(rebound.sideOutputs?.map((o) => o.path)).toEqual([`${dir}/m.js`]);
  } finally {
    conv.close();
  }
});
