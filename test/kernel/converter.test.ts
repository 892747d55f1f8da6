/**
 * @file gradlab's cell compiler (kernel/engine/compiler/) against tslab's converter, which it
 * replaces: the same cells give the same declarations, except where tslab is wrong, and the
 * JavaScript keeps each notebook name as one property of `exports` (tslab keeps a cell's own copy).
 */
import { createRequire } from "node:module";
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { createTsConverter, topLevelNames, type ConvertResult } from "../../kernel/engine/compiler/index.js";

const require = createRequire(import.meta.url);
const ts = require("@tslab/typescript-for-tslab");
const { createConverter } = require("tslab/dist/converter") as typeof import("tslab/dist/converter.js");
const ours = createTsConverter(process.cwd());
const tslab = createConverter({ isJS: false, isBrowser: false });
afterAll(() => {
  ours.close();
  tslab.close();
});

/** Runs compiled cells in order, as the executor does, and returns the last cell's value. */
function runAll(results: ConvertResult[]): unknown {
  const exports: Record<string, unknown> = {};
  let value: unknown;
  for (const r of results) {
    const ret = vm.runInNewContext(`(function (exports, require) { ${r.output} })`, {})(exports, require) as { value: unknown } | undefined;
    if (r.lastExpressionVar) value = ret!.value;
  }
  return value;
}

describe("topLevelNames", () => {
  it("lists what the binder puts in a cell's locals", () => {
    expect(
      topLevelNames(
        ts,
        "const [a, , { b: c }] = f(); function g() {}\nclass K {}\ninterface I {}\ntype T = I;\nenum E { A }\nnamespace N {}\nimport d, * as m from 'm';\nimport { x as y } from 'x';",
      ),
    ).toEqual(["a", "c", "g", "K", "I", "T", "E", "N", "d", "m", "y"]);
    expect(topLevelNames(ts, "for (let i = 0; i < 3; i++) {}\nf(1)")).toEqual([]);
  });
  it("leaves unusual cells to the compiler", () => {
    for (const code of ["var v = 1;", "export const e = 1;", "let y = )", "declare global { interface W {} }", 'declare module "m" {}']) {
      expect(topLevelNames(ts, code), code).toBeUndefined();
    }
  });
});

describe("convert", () => {
  const cells = [
    "const a: number = 1;",
    "function f(x: number): number { return x * a; }\nf(2)",
    "interface P { x: number }\nconst p: P = { x: f(3) };\np.x",
    "p.x + 1",
    "let b = a; b = 5; b",
    "b * 2",
    "class K { constructor(public v: number) {} get w() { return this.v * a; } }\nnew K(2).w",
    "type T = { q: string };\nconst t: T = { q: 'x' };\nt.q",
    "import * as path from 'path';\npath.join('a', 'b')",
    "import { join } from 'path';\njoin('x', 'y')",
    "const a = 'redefined'; a",
    "class K { z = 1 }\nnew K().z",
    "var vv = 3; vv",
    "const tsLastExpr = 5; tsLastExpr + 1",
    "function over(x: string): string;\nfunction over(x: number): number;\nfunction over(x: any) { return x; }\nover(2)",
    "[a.length, b, p.x, join('p', 'q'), vv].join()",
  ];

  it("declares what tslab declares, cell after cell", () => {
    let prevO = "";
    let prevT = "";
    for (const code of cells) {
      const o = ours.convert(prevO, code);
      const t = tslab.convert(prevT, code);
      expect(o.diagnostics, code).toEqual([]);
      expect({ decl: o.declOutput, last: o.lastExpressionVar }, code).toEqual({
        decl: t.declOutput,
        last: t.lastExpressionVar,
      });
      prevO = o.declOutput!;
      prevT = t.declOutput!;
    }
  });

  it("runs: earlier names come from exports, redefinitions win", () => {
    let prev = "";
    const results = cells.map((code) => {
      const r = ours.convert(prev, code);
      prev = r.declOutput ?? prev;
      return r;
    });
    expect(runAll(results)).toBe("9,5,3,p/q,3");
  });

  it("carries the declarations unchanged through cells that declare nothing", () => {
    const first = ours.convert("", "const kept: number = 7;");
    const expr = ours.convert(first.declOutput!, "kept + 1");
    expect(expr.declOutput).toBe(first.declOutput);
    const again = ours.convert(expr.declOutput!, "kept * 2");
    const redefined = ours.convert(again.declOutput!, "const kept = 'x';\nkept");
    expect(redefined.diagnostics).toEqual([]);
    expect(redefined.declOutput).toBe('declare const kept = "x";\n');
    expect(runAll([first, expr, again, redefined])).toBe("x");
  });

  it("compiles cells that export, which tslab rejects (it exports their names twice)", () => {
    expect(tslab.convert("", "export const ee = 2;").diagnostics[0]?.messageText).toBe("Cannot redeclare exported variable 'ee'.");
    const r = ours.convert("", "export const ee = 2;\nee");
    expect(r.diagnostics).toEqual([]);
    const next = ours.convert(r.declOutput!, "ee + 1");
    expect(runAll([r, next])).toBe(3);
  });

  it("compiles top-level names starting with __, which tslab rejects", () => {
    expect(tslab.convert("", "const __x = 1;").diagnostics[0]?.messageText).toContain("Cannot find name '___x'");
    const r = ours.convert("", "const __x = 1;\n__x");
    expect(r.diagnostics).toEqual([]);
    const next = ours.convert(r.declOutput!, "const __y: number = __x + 1;\n__y");
    expect(next.diagnostics).toEqual([]);
    expect(runAll([r, next])).toBe(2);
  });

  it("reads earlier names in shorthand properties (tslab leaves `{ a }`, a ReferenceError)", () => {
    const first = ours.convert("", "const a = 1;\ninterface P { x: number }\nconst p: P = { x: 4 };");
    const second = ours.convert(first.declOutput!, "const { x: px } = p;\n({ a, px })");
    expect(second.diagnostics).toEqual([]);
    expect(tslab.convert(first.declOutput!, "({ a })").output).toContain("{ a }");
    expect(runAll([first, second])).toEqual({ a: 1, px: 4 });
  });

  it("declares the vars of top-level loops and blocks for later cells, with their types", () => {
    const loop = ours.convert("", "for (var i = 0; i < 3; i++) {}\nfor (var [p, q] of [[1, 'a']] as [number, string][]) {}");
    expect(loop.diagnostics).toEqual([]);
    expect(loop.declOutput).toBe("declare var i: number;\ndeclare var p: number;\ndeclare var q: string;\n");
    const block = ours.convert(
      loop.declOutput!,
      "if (i > 0) { var msg = 'loops: ' + i; }\nfunction inner() { var hidden = 1; return hidden; }",
    );
    expect(block.diagnostics).toEqual([]);
    expect(block.declOutput).toContain("declare var msg: string;");
    expect(block.declOutput).not.toContain("hidden");
    const use = ours.convert(block.declOutput!, "[i * 2, p, q.toUpperCase(), msg.length]");
    expect(use.diagnostics).toEqual([]);
    expect(runAll([loop, block, use])).toEqual([6, 1, "A", 8]);
    // A type error in a later cell is still one (the name is typed, not any).
    expect(ours.convert(loop.declOutput!, "const s: string = i;").diagnostics[0]?.code).toBe(2322);
  });

  it("reads a notebook namespace in `import x = N.y`", () => {
    const ns = ours.convert("", "namespace Geo { export const r = 2; }");
    const alias = ours.convert(ns.declOutput!, "import R = Geo.r;\nR * 3");
    expect(alias.diagnostics).toEqual([]);
    expect(runAll([ns, alias])).toBe(6);
  });

  it("keeps the value of an expression followed only by type declarations", () => {
    const r = ours.convert("", "1 + 1;\ninterface Later {}\ntype U = number;");
    expect(r.lastExpressionVar).toBe("tsLastExpr");
    expect(runAll([r])).toBe(2);
  });

  it("reports type errors at the cell's own positions; top-level await is allowed", () => {
    const r = ours.convert("", "const ok = 1;\nconst s: number = 'x';");
    expect(r.diagnostics.map((d) => [d.start.line, d.start.character, d.code])).toEqual([[1, 6, 2322]]);
    const t = tslab.convert("", "const ok = 1;\nconst s: number = 'x';");
    expect(r.diagnostics.map((d) => d.messageText)).toEqual(t.diagnostics.map((d) => d.messageText));
    const aw = ours.convert("", "const v = await Promise.resolve(3);\nv");
    expect(aw).toMatchObject({ diagnostics: [], hasToplevelAwait: true });
    expect(ours.convert("", "function g() { await 1; }").diagnostics[0]?.code).toBe(1308);
    const loop = ours.convert("", "let sum = 0;\nfor await (const v of [Promise.resolve(1), 2]) sum += v;\nsum");
    expect(loop).toMatchObject({ diagnostics: [], hasToplevelAwait: true });
    expect(loop.output).toContain("for await (const v of");
  });
});

describe("complete and inspect", () => {
  const decl = () =>
    ours.convert(
      "",
      'import { grad, tensor } from "gradlab";\nconst t = tensor([1, 2]);\nfunction twoArgs(a: number, b: string): void {}\nclass K { _hidden = 1; shown = 2; __also = 3 }\nconst k = new K();',
    ).declOutput!;
  const quick = (prev: string, code: string, cursor: number) =>
    ours
      .inspect(prev, code, cursor)
      ?.displayParts?.map((p) => p.text)
      .join("");

  it("hides members starting with _ unless the name typed starts with _", () => {
    const prev = decl();
    const members = ours.complete(prev, "t.", 2).candidates;
    expect(members).toContain("sum");
    expect(members.filter((m) => m.startsWith("_"))).toEqual([]);
    expect(ours.complete(prev, "t._", 3).candidates).toEqual(expect.arrayContaining(["_data", "_buf", "_value"]));
    expect(ours.complete(prev, "k.", 2).candidates).toEqual(["shown"]);
    expect(ours.complete(prev, "k._", 3).candidates).toEqual(expect.arrayContaining(["_hidden", "__also"]));
    expect(ours.complete(prev, "k.sh", 4)).toEqual({ start: 2, end: 4, candidates: ["shown"] });
    // Names in scope are not members: a notebook's own `_x` is offered.
    const own = ours.convert(prev, "const _mine = 1;").declOutput!;
    expect(ours.complete(own, "_mi", 3).candidates).toContain("_mine");
  });

  it("inspects the callee when the cursor sits inside a call's parentheses, as IPython does", () => {
    const prev = decl();
    expect(quick(prev, "grad", 2)).toMatch(/^\(alias\) function grad/);
    for (const [code, cursor] of [
      ["grad(twoArgs, )", 14],
      ["grad(twoArgs, ", 14],
      ["grad(twoArgs", 12],
      ["grad(", 5],
      ["twoArgs(1, grad(", 16],
      ["twoArgs(1, grad(t)", 17],
    ] as const) {
      expect(quick(prev, code, cursor), `${code} at ${cursor}`).toMatch(/^\(alias\) grad|^\(alias\) function grad/);
    }
    expect(quick(prev, "twoArgs(1, grad(t)", 18)).toBe("function twoArgs(a: number, b: string): void");
    expect(quick(prev, "twoArgs(1, )", 11)).toBe("function twoArgs(a: number, b: string): void");
    expect(quick(prev, "t.sum(", 6)).toMatch(/^\(method\) Tensor\.sum\(/);
    expect(quick(prev, "new K(", 6)).toMatch(/K/);
    // Code of its own inside the arguments (a function body) is inspected where the cursor is.
    const body = "grad((x) => { const y = t; return y; })";
    expect(quick(prev, body, body.indexOf("y; }"))).toBe("const y: Tensor");
    expect(quick(prev, "grad((x) => t)", 13)).toBe("const t: Tensor");
    // Outside the parentheses nothing changes.
    expect(quick(prev, "twoArgs(1, 'a') ", 16)).toBeUndefined();
  });
});
