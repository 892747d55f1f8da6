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
import { startKernel } from "./helpers.js";

let kc: KernelClient;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "gradlab-mods-"));
  kc = await startKernel({ cwd: dir });
});
afterAll(async () => {
  await kc?.close();
});

const resultText = (r: { outputs: readonly { output_type: string; data?: Record<string, unknown> }[] }) =>
  r.outputs.find((o) => o.output_type === "execute_result")?.data?.["text/plain"];

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

describe("a local module with a type error", () => {
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
