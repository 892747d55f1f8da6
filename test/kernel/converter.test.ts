/** @file The converter wrapper (kernel/exec/converter.ts) against tslab's own convert. */
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { convertCell, createTsConverter, topLevelNames } from "../../kernel/exec/converter.js";

const require = createRequire(import.meta.url);
const ts = require("@tslab/typescript-for-tslab");
const conv = createTsConverter(process.cwd());
afterAll(() => conv.close());

describe("topLevelNames", () => {
  it("lists what the binder puts in a cell's locals", () => {
    expect(topLevelNames(ts, "const [a, , { b: c }] = f(); function g() {}\nclass K {}\ninterface I {}\ntype T = I;\nenum E { A }\nnamespace N {}\nimport d, * as m from 'm';\nimport { x as y } from 'x';")).toEqual(
      ["a", "c", "g", "K", "I", "T", "E", "N", "d", "m", "y"],
    );
    expect(topLevelNames(ts, "for (let i = 0; i < 3; i++) {}\nf(1)")).toEqual([]);
  });
  it("leaves unusual cells to the compiler", () => {
    for (const code of ["var v = 1;", "export const e = 1;", "let y = )", "declare global { interface W {} }", 'declare module "m" {}']) {
      expect(topLevelNames(ts, code), code).toBeUndefined();
    }
  });
});

describe("convertCell", () => {
  it("emits exactly what tslab's two-pass convert emits", () => {
    let prev = "";
    for (const code of ["const a: number = 1;", "function f(x: number): number { return x * a; }\nf(2)", "interface P { x: number }\nconst p: P = { x: f(3) };\np.x", "a + 1"]) {
      const ours = convertCell(conv, prev, code);
      const theirs = conv.convert(prev, code);
      expect(ours.diagnostics).toEqual([]);
      expect({ output: ours.output, decl: ours.declOutput, last: ours.lastExpressionVar }).toEqual({ output: theirs.output, decl: theirs.declOutput, last: theirs.lastExpressionVar });
      prev = ours.declOutput ?? prev;
    }
  });
  it("compiles top-level names starting with __, which tslab alone rejects", () => {
    expect(conv.convert("", "const __x = 1;").diagnostics[0]?.messageText).toContain("Cannot find name '___x'");
    const r = convertCell(conv, "", "const __x = 1;\n__x");
    expect(r.diagnostics).toEqual([]);
    expect(r.output).toContain("exports.__x = __x;");
  });
  it("reports type errors at the cell's own positions", () => {
    const r = convertCell(conv, "", "const ok = 1;\nconst s: number = 'x';");
    expect(r.diagnostics.map((d) => [d.start.line, d.start.character, d.code])).toEqual([[1, 6, 2322]]);
  });
});
