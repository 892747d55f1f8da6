/**
 * @file The warm checker of gradlab's cell compiler (kernel/engine/compiler/): cells checked by
 * the type checker kept from an earlier program must compile exactly as a full build per cell
 * compiles them (same JavaScript, declarations, source map and diagnostics), across cells that
 * redefine types and variables, fail, import modules and augment globals.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { compileView } from "./helpers.js";
import { createTsConverter, type Converter } from "../../kernel/engine/compiler/index.js";

const warm = createTsConverter(process.cwd());
const cold = createTsConverter(process.cwd(), { warm: false });
afterAll(() => {
  warm.close();
  cold.close();
});

/**
 * Compiles `cells` in order with both converters (declarations carried as the executor carries
 * them: unchanged after a failed cell); returns each cell's diagnostic codes, and how many cells
 * the warm checker served.
 */
function compileBoth(
  cells: string[],
  pair: { warm: Converter; cold: Converter } = { warm, cold },
): { codes: number[][]; warmCells: number } {
  const { warm, cold } = pair;
  let prevWarm = "";
  let prevCold = "";
  const before = warm.stats().warmCells;
  const codes: number[][] = [];
  for (const code of cells) {
    const w = warm.convert(prevWarm, code);
    const c = cold.convert(prevCold, code);
    expect(compileView(w), code).toEqual(compileView(c));
    codes.push(w.diagnostics.map((d) => d.code));
    prevWarm = w.declOutput || prevWarm;
    prevCold = c.declOutput || prevCold;
  }
  return { codes, warmCells: warm.stats().warmCells - before };
}

describe("warm checker", () => {
  it("sees a type redefined in a later cell", () => {
    const { codes, warmCells } = compileBoth([
      "type T = number;\nconst a: T = 1;",
      "type T = string;\nconst b: T = 'x';",
      "const c: T = 'y';\nc",
      "const d: T = 1;",
      "interface P { x: number }",
      "interface P { y: string }\nconst p: P = { y: 's' };",
      "const q: P = { x: 1 };",
    ]);
    expect(codes).toEqual([[], [], [], [2322], [], [], [2322, 2353]]);
    expect(warmCells).toBeGreaterThanOrEqual(6);
  });

  it("sees a variable's new type after it is declared again", () => {
    const { codes, warmCells } = compileBoth([
      "let v = 1;",
      "v.toFixed(1)",
      "let v = 'str';",
      "v.length",
      "v.toFixed(1)",
      "class K { a = 1 }",
      "class K { b = 'x' }\nnew K().b",
      "new K().a",
    ]);
    expect(codes).toEqual([[], [], [], [], [2551], [], [], [2339]]);
    expect(warmCells).toBeGreaterThanOrEqual(7);
  });

  it("keeps an error in one cell out of the next, and reports the same error again", () => {
    const { codes, warmCells } = compileBoth([
      "const e: number = 'x';",
      "const e: number = 'x';",
      "const e: number = 2;\ne",
      "e + undefinedName",
      "e + 1",
      "const ok = 1;\n// @ts-expect-error\nconst bad: string = 1;",
      "// @ts-ignore\nconst ignored: string = 1;",
    ]);
    expect(codes).toEqual([[2322], [2322], [], [2552], [], [], []]);
    expect(warmCells).toBeGreaterThanOrEqual(6);
  });

  it("checks against the declarations of every earlier cell", () => {
    const { codes, warmCells } = compileBoth([
      "interface Pt { x: number; y: number }\nfunction mk(x: number): Pt { return { x, y: 2 * x }; }",
      "const pts = [mk(1), mk(2)];",
      "pts.map((p) => p.x + p.y)",
      "mk('a')",
      "enum Color { Red, Green }\nconst favourite = Color.Green;",
      "favourite === Color.Green",
      "const { x: px, ...rest } = mk(3);\n({ px, rest })",
      "const v = await Promise.resolve(mk(4));\nv.y",
    ]);
    expect(codes).toEqual([[], [], [], [2345], [], [], [], []]);
    expect(warmCells).toBeGreaterThanOrEqual(7);
  });

  it("resolves imports the warm program holds, and builds again for new ones", () => {
    const { codes, warmCells } = compileBoth([
      "import { tensor, grad, type Tensor } from 'gradlab';",
      "const t: Tensor = tensor([1, 2, 3]);",
      "const g = grad((x: Tensor) => x.mul(x).sum())(t);\ng",
      "g.nope()",
      "import * as path from 'path';\npath.join('a', 'b')",
      "path.basename('/x/y')",
      "const later = import('gradlab');",
      "type Later = import('gradlab').Tensor;\nconst s: Later = t;",
      "import { missing } from 'gradlab';",
      "import nothere from 'no-such-module-anywhere';",
      "t.sum()",
    ]);
    expect(codes).toEqual([[], [], [], [2339], [], [], [], [], [2305], [2307], []]);
    expect(warmCells).toBeGreaterThanOrEqual(7);
  });

  it("leaves nothing of a cell that augments the globals or a module to later cells", () => {
    // A cell cannot augment (the declaration is an error, as in a full build); the checker of the
    // build that saw it must not carry the augmentation into later cells either.
    const { codes } = compileBoth([
      "import { tensor } from 'gradlab';",
      "declare global { interface Array<T> { gradlabExtra(): number } }",
      "[1, 2].gradlabExtra",
      "declare module 'gradlab' { interface Tensor { extraThing(): number } }",
      "tensor([1]).extraThing",
      "const after = 1;",
      "[1].gradlabExtra",
    ]);
    expect(codes).toEqual([[], [2552], [2339], [1003, 1128], [2339], [], [2339]]);
  });

  it("serves cell after cell from one checker", () => {
    const cells = Array.from({ length: 30 }, (_, i) =>
      i % 2 ? `1+1 // ${i}` : `function typed${i}(x: number, y: number): number { return x * y + ${i}; }`,
    );
    const { codes, warmCells } = compileBoth(cells);
    expect(codes.flat()).toEqual([]);
    expect(warmCells).toBe(30);
    // Each cell that declared a function added one small declarations file; none was parsed again.
    expect(warm.stats().declFiles).toBeGreaterThanOrEqual(15);
  });

  it("carries what a full build carries when a cell declares a name again, whatever its kind", () => {
    const { codes } = compileBoth([
      "function f(x: number): number { return x; }",
      "function f(x: number): number { return x; }",
      "function f(x: string): string { return x; }",
      "f('a').length",
      "const x = 1;",
      "type x = string;\nconst y: x = 's';",
      "x + 1",
      "const z: x = 'again';",
      "class K { static s = 1 }",
      "const K = 5;",
      "let k: K;",
      "class C { v = 1 }",
      "interface C { w: number }",
      "C",
      "namespace NS { export const a = 1; }",
      "const afterNs = 1;",
      "NS.a",
      "import { tensor, type Tensor } from 'gradlab';",
      "const tensor = 1;",
      "let t: Tensor;",
      "const __x = 1;",
      "const __y: number = __x + 1;\n__y",
    ]);
    // `K` is a value only once `const K` overrides the class; namespaces are not carried (as in tslab).
    expect(codes).toEqual([[], [], [], [], [], [], [], [], [], [], [2749, 4025], [], [], [], [], [], [2304], [], [], [], [], []]);
  });

  it("compiles a local module again after it is edited, and checks against its new types", () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-warm-"));
    const pair = { warm: createTsConverter(dir), cold: createTsConverter(dir, { warm: false }) };
    try {
      writeFileSync(join(dir, "helper.ts"), "export function sq(x: number): number { return x * x; }\n");
      const first = compileBoth(['import { sq } from "./helper";\nsq(3)', "sq(4)", "const s: string = sq(2);"], pair);
      expect(first.codes).toEqual([[], [], [2322]]);
      expect(first.warmCells).toBeGreaterThanOrEqual(1);
      writeFileSync(join(dir, "helper.ts"), "export function sq(x: number): string { return String(x * x); }\n");
      utimesSync(join(dir, "helper.ts"), new Date(), new Date(Date.now() + 5000));
      const second = compileBoth(['import { sq } from "./helper";\nconst s: string = sq(2);', "const t: string = sq(3);\nt"], pair);
      expect(second.codes).toEqual([[], []]);
    } finally {
      pair.warm.close();
      pair.cold.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("builds again after a conversion stopped half-way (as an interrupt stops it), and compiles as before", () => {
    const big = Array.from({ length: 400 }, (_, i) => `function big${i}(x: number): number { return x * ${i}; }`).join("\n");
    const g = globalThis as { __warmTest__?: () => void };
    let stoppedInUse = false;
    // Stop it later and later until the stop lands while the warm checker is in use.
    for (let ms = 1; ms < 2000 && !stoppedInUse; ms *= 2) {
      const first = warm.convert("", "const first = 1;");
      expect(warm.stats().warm).toBe(true);
      g.__warmTest__ = () => void warm.convert(first.declOutput!, big);
      try {
        // A termination, as breakOnSigint's on SIGINT: no catch or finally in the compiler runs.
        vm.runInThisContext("__warmTest__()", { timeout: ms });
      } catch (e) {
        stoppedInUse = (e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT" && !warm.stats().warm;
      } finally {
        delete g.__warmTest__;
      }
    }
    expect(stoppedInUse).toBe(true);
    const after = warm.stats();
    const { codes } = compileBoth([
      "const first = 1;",
      "type Q = { q: number };\nconst qq: Q = { q: first };",
      "qq.q + first",
      "const bad: Q = { q: 'x' };",
    ]);
    expect(codes).toEqual([[], [], [], [2322]]);
    // The checker the stopped conversion was using is never used again: the next cell builds anew.
    expect(warm.stats().fullBuilds).toBe(after.fullBuilds + 1);
  });
});
