/**
 * @file The cell compiler's interrupt checks (`interruptChecks`, kernel/engine/compiler/cell-transforms.ts),
 * which the browser kernel compiles its cells with: where the check goes (the start of every loop
 * body and function body), that the programs compute what they compute without it (labels,
 * `continue`, `break`, generators, `super`, directives), that a set flag stops cell code and
 * functions defined in an earlier cell with the Node kernel's KeyboardInterrupt and keeps the
 * notebook's state, and that runtime errors keep their cell lines.
 */
import { createRequire } from "node:module";
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import type * as TS from "@tslab/typescript-for-tslab";
import { createTsConverter, INTERRUPT_FLAG, INTERRUPT_RAISE, type ConvertResult } from "../../kernel/engine/compiler/index.js";
import { runtimeError } from "../../kernel/engine/errors.js";
import { Executor, interruptedError } from "../../kernel/engine/executor.js";
import { createDisplay } from "../../kernel/engine/display.js";
import { CellError } from "../../kernel/engine/errors.js";

const require = createRequire(import.meta.url);
const ts = require("@tslab/typescript-for-tslab") as typeof TS;
const plain = createTsConverter(process.cwd());
const checked = createTsConverter(process.cwd(), { interruptChecks: true });
afterAll(() => {
  plain.close();
  checked.close();
});

/** The text of a check, as the printer writes it. */
const CHECK = `if (Atomics.load(${INTERRUPT_FLAG}, 0) !== 0)`;

/** Raised by the checks in these tests. */
class Stop extends Error {}

/** Runs cells in order in a context of their own (its flag `flag`), as the executor does; the last cell's value. */
function runAll(results: ConvertResult[], flag = new Int32Array(1)): { value: unknown; exports: Record<string, unknown> } {
  const context = vm.createContext({
    [INTERRUPT_FLAG]: flag,
    [INTERRUPT_RAISE]: () => {
      throw new Stop("interrupted");
    },
  });
  const exports: Record<string, unknown> = {};
  let value: unknown;
  for (const r of results) {
    expect(r.diagnostics).toEqual([]);
    const fn = r.hasToplevelAwait ? "async function" : "function";
    const ret = vm.runInContext(`(${fn} (exports, require) { ${r.output} })`, context)(exports, require) as { value: unknown } | undefined;
    if (r.lastExpressionVar) value = ret!.value;
  }
  return { value, exports };
}

/** The notebook's names and values, its functions and classes by name (each run makes its own). */
const shape = (exports: Record<string, unknown>): unknown =>
  JSON.parse(JSON.stringify(exports, (_, v: unknown) => (typeof v === "function" ? `function ${v.name}` : v)));

describe("interrupt checks", () => {
  it("are at the start of every loop body and every function body of a cell, after a directive prologue", () => {
    const code = [
      "let n = 0;",
      "for (let i = 0; i < 2; i++) n++;",
      "for (const k in { a: 1 }) { n++; }",
      "for (const v of [1]) n += v;",
      "while (n < 10) n++;",
      "do { n++; } while (n < 12);",
      "function f() { 'use strict'; return 1; }",
      "const g = function () { return 2; };",
      "const h = (x: number) => ({ x });",
      "const k = async (x: number) => { await 0; return x; };",
      "class A { constructor() {} get v() { return 1; } set v(_: number) {} m() { return 2; } static s() { return 3; } }",
      "class B extends A { constructor() { super(); } }",
      "function* gen() { yield 1; }",
      "const o = { p() { return 4; } };",
      "n",
    ].join("\n");
    const { output } = checked.convert("", code);
    const sf = ts.createSourceFile("out.js", output!, ts.ScriptTarget.ES2022, true);
    const isCheck = (st: TS.Node | undefined): boolean => !!st && st.getText(sf).startsWith(CHECK);
    const counts = { loops: 0, functions: 0 };
    const visit = (node: TS.Node): void => {
      if (ts.isIterationStatement(node, false)) {
        counts.loops++;
        expect(ts.isBlock(node.statement) && isCheck(node.statement.statements[0]), node.getText(sf)).toBe(true);
      } else if (ts.isFunctionLike(node) && "body" in node && node.body) {
        counts.functions++;
        const body = node.body as TS.Node;
        if (ts.isBlock(body)) {
          const first = body.statements.find((st) => !(ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)));
          expect(isCheck(first), node.getText(sf)).toBe(true);
          // a directive stays first
          if (node.getText(sf).includes("use strict")) expect(body.statements[0]!.getText(sf)).toBe("'use strict';");
        } else {
          expect(body.getText(sf), node.getText(sf)).toMatch(
            /^\(?Atomics\.load\(__gradlab_interrupt__, 0\) !== 0 && __gradlab_interrupted__\(\), /,
          );
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
    expect(counts).toEqual({ loops: 5, functions: 12 });
    // The compiler without the option writes none.
    expect(plain.convert("", code).output).not.toContain("Atomics");
  });

  // Each program's value, with the checks and without them (flag clear): the same.
  const programs: string[][] = [
    [
      "const seen: string[] = [];\nouter: for (let i = 0; i < 4; i++) {\n  inner: for (let j = 0; j < 4; j++) {\n    if (j === 1) continue inner;\n    if (j === 3) continue outer;\n    if (i === 3) break outer;\n    seen.push(`${i}${j}`);\n  }\n}\nseen.join()",
    ],
    ["let n = 0;\nlbl: while (true) { n++; if (n % 2) continue lbl; if (n > 9) break; }\nn"],
    ["let d = 0;\ndo d += 3; while (d < 10)\nlet e = 0;\ndo { e++; if (e < 5) continue; break; } while (true);\n[d, e]"],
    ["const o = { a: 1, b: 2, c: 3 };\nconst keys: string[] = [];\nfor (const k in o) { if (k === 'b') continue; keys.push(k); }\nkeys"],
    ["let s = 0;\nfor (const v of [1, 2, 3, 4]) s += v;\nfor (const v of new Set([10, 20])) { if (v > 15) break; s += v; }\ns"],
    ["let w = 0;\nfor (;;) if (++w > 6) break;\nfor (let i = 0; i < 3; i++);\nw"],
    [
      "function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconst sq = (x: number) => x * x;\nconst pt = (x: number) => ({ x, y: sq(x) });\n[fib(15), pt(3)]",
    ],
    [
      "function* count(n: number) { for (let i = 0; i < n; i++) yield i; }\nconst all = [...count(4)];",
      "function f(this: unknown, a: number, b?: number) { 'use strict'; return [typeof this, arguments.length, a + (b ?? 0)]; }\n[all, f.call(undefined, 1, 2), f.call(undefined, 3)]",
    ],
    [
      "class A { v: number; constructor(v: number) { this.v = v; } get twice() { return this.v * 2; } set twice(x: number) { this.v = x / 2; } static of(v: number) { return new A(v); } }\nclass B extends A { w: number; constructor() { super(5); this.w = this.v + 1; } }",
      "const b = new B();\nb.twice = 18;\n[b.v, b.w, b.twice, A.of(2).twice]",
    ],
    [
      "let order: number[] = [];\nconst run = async () => { for (let i = 0; i < 3; i++) { await null; order.push(i); } return order.length; };\nawait run()",
    ],
    ["const obj = { m() { return [1, 2].map(function (x) { return x + 1; }); }, get g() { return 7; } };\n[obj.m(), obj.g]"],
  ];
  it.each(programs.map((cells) => [cells.at(-1)!.split("\n")[0]!, cells] as const))(
    "leave a program's result as it is: %s",
    async (_, cells) => {
      const compile = (conv: typeof plain) => {
        let decl = "";
        return cells.map((code) => {
          const r = conv.convert(decl, code);
          decl = r.declOutput ?? decl;
          return r;
        });
      };
      const a = runAll(compile(plain));
      const b = runAll(compile(checked));
      expect(await b.value).toEqual(await a.value);
      expect(shape(b.exports)).toEqual(shape(a.exports));
      expect(
        compile(checked)
          .map((r) => r.output)
          .join(),
      ).toContain(CHECK);
    },
  );

  it("stop a loop and a function of an earlier cell once the flag is set, and the notebook's names stay", () => {
    let decl = "";
    const compile = (code: string) => {
      const r = checked.convert(decl, code);
      decl = r.declOutput ?? decl;
      return r;
    };
    const flag = new Int32Array(1);
    const context = vm.createContext({
      [INTERRUPT_FLAG]: flag,
      [INTERRUPT_RAISE]: () => {
        throw new Stop("interrupted");
      },
    });
    const exports: Record<string, unknown> = {};
    const run = (r: ConvertResult) => vm.runInContext(`(function (exports, require) { ${r.output} })`, context)(exports, require);
    run(compile("let kept = 41;\nlet spins = 0;\nfunction spin(): void { while (true) spins++; }"));
    // A flag set before the loop (another thread sets it while it runs): the first check stops it.
    Atomics.store(flag, 0, 1);
    expect(() => run(compile("while (true) {}"))).toThrow(Stop);
    expect(() => run(compile("spin()"))).toThrow(Stop);
    // A function called after the interrupt is stopped at its entry.
    expect(() => run(compile("const r = [1].map((x) => x + 1);"))).toThrow(Stop);
    Atomics.store(flag, 0, 0);
    expect((run(compile("kept + 1")) as { value: unknown }).value).toBe(42);
    expect(exports.kept).toBe(41);
  });

  it("keep the cell lines of a runtime error's frames", () => {
    const code =
      "let k = 0;\nfunction f(): void {\n  for (let i = 0; i < 2; i++) {\n    k++;\n    if (k === 2) throw new Error('second');\n  }\n}\nf();";
    const r = checked.convert("", code);
    expect(r.output).toContain(CHECK);
    const prefix = "(function(exports, require) { ";
    const wrapped = `${prefix}${r.output}\n})`;
    let err: unknown;
    try {
      (globalThis as Record<string, unknown>)[INTERRUPT_FLAG] = new Int32Array(1);
      vm.runInThisContext(wrapped, { filename: "cell[3]" })({}, () => undefined);
    } catch (e) {
      err = e;
    } finally {
      delete (globalThis as Record<string, unknown>)[INTERRUPT_FLAG];
    }
    const out = runtimeError(err, "cell[3]", wrapped, code, 0, { mappings: r.mappings!, shift: prefix.length });
    expect(out.traceback.filter((l) => l.includes("cell line"))).toEqual([
      "    at f, cell line 5: if (k === 2) throw new Error('second');",
      "    at cell line 8: f();",
    ]);
  });
});

describe("an executor whose cells check an interrupt flag", () => {
  it("answers a `while (true) {}` and a looping function of an earlier cell with the Node kernel's KeyboardInterrupt, keeping the notebook's state", async () => {
    const display = createDisplay({ display: () => undefined, clear: () => undefined });
    const ex = new Executor(process.cwd(), display, {});
    const flag = new Int32Array(new SharedArrayBuffer(4));
    ex.checkInterrupts(flag);
    let request = 1;
    ex.owner = () => request;
    try {
      await ex.run("let kept = 41;\nfunction spin(): never { for (;;) {} }", "cell[1]", 0);
      for (const code of ["while (true) {}", "spin()", "await Promise.resolve();\nwhile (true) {}"]) {
        // aimed at the request before it starts (the other thread's interrupt came first): it stays
        Atomics.store(flag, 0, ++request);
        ex.resetInterrupt();
        expect(Atomics.load(flag, 0)).toBe(request);
        const err = await ex.run(code, "cell[2]", 0).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, code).toBeInstanceOf(CellError);
        expect((err as CellError).content, code).toEqual(interruptedError().content);
      }
      // a later request clears it
      request++;
      ex.resetInterrupt();
      expect(Atomics.load(flag, 0)).toBe(0);
      expect(await ex.run("kept + 1", "cell[3]", 0)).toEqual({ hasValue: true, value: 42 });
    } finally {
      delete (globalThis as Record<string, unknown>)[INTERRUPT_FLAG];
      delete (globalThis as Record<string, unknown>)[INTERRUPT_RAISE];
    }
  });
});
