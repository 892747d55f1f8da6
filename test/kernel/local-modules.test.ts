/**
 * @file Local modules in cells, over ZeroMQ with the real kernel: `./mod`, `./mod.ts` and
 * `./mod.js` imports are checked and run; after a module's file changes, the next cell runs the
 * edited module and is checked against it, and names that earlier cells imported from it are bound
 * to the edited module.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { resultText, startKernel } from "./helpers.js";

let kc: KernelClient;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlab-mods-"));
  kc = await startKernel({ cwd: dir });
});
afterAll(async () => {
  await kc?.close();
});

async function value(code: string): Promise<unknown> {
  const r = await kc.execute(code);
  expect(r.status, JSON.stringify(r.error)).toBe("ok");
  return resultText(r);
}

describe("import specifiers of a local module", () => {
  it("imports ./m, ./m.ts and ./m.js (the .ts file) with types", async () => {
    writeFileSync(join(dir, "ext.ts"), "export function twice(x: number): number { return 2 * x; }\n");
    expect(await value('import { twice as a } from "./ext";\na(1)')).toBe("2");
    expect(await value('import { twice as b } from "./ext.ts";\nb(2)')).toBe("4");
    expect(await value('import { twice as c } from "./ext.js";\nc(3)')).toBe("6");
    // Type-checked through each specifier.
    const typed = await kc.execute('import { twice as d } from "./ext.ts";\nconst s: string = d(1);');
    expect(typed.error?.evalue).toContain("Type 'number' is not assignable to type 'string'");
  });

  it("a module that imports a sibling through .ts runs", async () => {
    writeFileSync(join(dir, "base.ts"), "export const unit = 5;\n");
    writeFileSync(join(dir, "uses.ts"), 'import { unit } from "./base.ts";\nexport const five = (): number => unit;\n');
    expect(await value('import { five } from "./uses.ts";\nfive()')).toBe("5");
  });
});

describe("an edited local module", () => {
  it("after %%writefile, a cell runs the edited module and is checked against it", async () => {
    expect((await kc.execute("%%writefile mod2.ts\nexport function scale(x: number): number { return x * 10; }")).status).toBe("ok");
    expect(await value('import { scale } from "./mod2";\nscale(2)')).toBe("20");
    expect(
      (await kc.execute("%%writefile mod2.ts\nexport function scale(x: number, factor: number): number { return x * factor; }")).status,
    ).toBe("ok");
    // The name cell 1 imported is bound to the edited module: the checker and the run agree.
    expect(await value("scale(2, 3)")).toBe("6");
    expect((await kc.execute("scale(2)")).error?.evalue).toContain("Expected 2 arguments, but got 1");
    expect(await value("scale(4, 5)")).toBe("20");
  });

  it("a cell run again with the same code after an edit is checked and run against the edited module", async () => {
    writeFileSync(join(dir, "mod3.ts"), "export function triple(x: number): number { return x * 3; }\n");
    expect(await value('import { triple } from "./mod3";\n0')).toBe("0");
    expect(await value("triple(2)")).toBe("6");
    writeFileSync(join(dir, "mod3.ts"), "export function triple(x: number, y: number): number { return x * 3 + y; }\n");
    // The very same cell text as before the edit: it must not come from a cache of the old compile.
    expect((await kc.execute("triple(2)")).error?.evalue).toContain("Expected 2 arguments, but got 1");
    expect(await value("triple(2, 1)")).toBe("7");
  });

  it("a cell that imports again after an edit runs the new code", async () => {
    writeFileSync(join(dir, "ver.ts"), 'export const version = (): string => "one";\n');
    expect(await value('import { version } from "./ver";\nversion()')).toBe("one");
    writeFileSync(join(dir, "ver.ts"), 'export const version = (): string => "two";\n');
    expect(await value('import { version as v2 } from "./ver";\nv2()')).toBe("two");
    expect(await value("version()")).toBe("two");
  });

  it("an edit of a module that another imports reaches the importer", async () => {
    writeFileSync(join(dir, "leaf.ts"), "export const k = 1;\n");
    writeFileSync(join(dir, "top.ts"), 'import { k } from "./leaf";\nexport const getK = (): number => k;\n');
    expect(await value('import { getK } from "./top";\ngetK()')).toBe("1");
    writeFileSync(join(dir, "leaf.ts"), "export const k = 2;\n");
    expect(await value("getK()")).toBe("2");
  });

  it("reaches the run even when the first cell after the edit fails to type-check", async () => {
    writeFileSync(join(dir, "flag.ts"), "export const flag = (): number => 1;\n");
    expect(await value('import { flag } from "./flag";\nflag()')).toBe("1");
    writeFileSync(join(dir, "flag.ts"), "export const flag = (): number => 2;\n");
    expect((await kc.execute("const wrong: string = flag();")).status).toBe("error");
    expect(await value("flag()")).toBe("2");
  });

  it("a module with a type error is reported with its file, and the kernel goes on", async () => {
    writeFileSync(join(dir, "broken.ts"), 'export const n: number = "not a number";\n');
    const r = await kc.execute('import { n } from "./broken.ts";\nn');
    expect(r.status).toBe("error");
    expect(r.error?.evalue).toContain("broken.ts");
    expect(r.error?.evalue).toContain("Type 'string' is not assignable to type 'number'");
    writeFileSync(join(dir, "broken.ts"), "export const n: number = 7;\n");
    expect(await value('import { n } from "./broken.ts";\nn')).toBe("7");
    expect(await value("1 + 1")).toBe("2");
  });
});

describe("a cell that binds names to an edited module", () => {
  it("reports a runtime error at the cell's own line, and functions of later cells call the edited module", async () => {
    writeFileSync(join(dir, "lines.ts"), "export const base = (): number => 1;\n");
    expect(await value('import { base } from "./lines";\nbase()')).toBe("1");
    expect(await value("function viaBase(): number { return base() * 100; }\nviaBase()")).toBe("100");
    writeFileSync(join(dir, "lines.ts"), "export const base = (): number => 2;\n");
    const r = await kc.execute('const b = base();\nif (b > 0) throw new Error("at line two " + b);\nconst after = b + 1;');
    expect(r.error?.evalue).toBe("at line two 2");
    expect(r.error?.traceback.join("\n")).toContain("at cell line 2: if (b > 0) throw new Error");
    expect(await value("viaBase()")).toBe("200");
  });
});
