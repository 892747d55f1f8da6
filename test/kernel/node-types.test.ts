/**
 * @file `@types/node` only for the cells that need it (kernel/engine/compiler/node-types.ts): every
 * cell compiles exactly as with `@types/node` from the start (same JavaScript, declarations,
 * source map and diagnostics), the cells that need it take it (and keep it), and those of
 * notebook 04 do not.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileView } from "./helpers.js";
import { createCompilerState, refreshFiles } from "../../kernel/engine/compiler/host.js";
import { createTsConverter, type Converter } from "../../kernel/engine/compiler/index.js";
import { computeNodeTriggers, type NodeTriggers } from "../../kernel/engine/compiler/node-types.js";
import { loadTypeScript } from "../../kernel/engine/compiler/ts-loader.js";

const ts = loadTypeScript().ts;
const root = process.cwd();
// A student's notebook folder (no type roots of its own: the repository's own @types/node would be taken, as tsc does).
const dir = mkdtempSync(join(tmpdir(), "gradlab-node-types-"));
const probe = createCompilerState(ts, dir, true);
refreshFiles(probe);
const triggers: NodeTriggers = computeNodeTriggers(ts, probe.options, probe.cwd);

const always = createTsConverter(dir, { nodeTypes: "always" });
const opened: Converter[] = [always];
afterAll(() => {
  opened.forEach((c) => c.close());
  rmSync(dir, { recursive: true, force: true });
});
/** A converter that takes `@types/node` when a cell needs it, and one that always has it (shared: each cell is given its declarations). */
function pair(): { lazy: Converter; always: Converter } {
  const lazy = createTsConverter(dir, { nodeTypes: triggers });
  opened.push(lazy);
  return { lazy, always };
}

/**
 * Compiles `cells` in order with both converters (declarations carried as the executor carries
 * them); returns, after each cell, whether the lazy one had taken `@types/node`.
 */
function compileBoth(cells: string[], p = pair()): boolean[] {
  let prevLazy = "";
  let prevAlways = "";
  const node: boolean[] = [];
  for (const code of cells) {
    const l = p.lazy.convert(prevLazy, code);
    const a = p.always.convert(prevAlways, code);
    expect(compileView(l), code).toEqual(compileView(a));
    node.push(p.lazy.stats().nodeTypes);
    prevLazy = l.declOutput || prevLazy;
    prevAlways = a.declOutput || prevAlways;
  }
  return node;
}

describe("@types/node for the cells that need it", () => {
  it("reads what needs it from @types/node", () => {
    for (const name of ["process", "Buffer", "require", "NodeJS", "setTimeout", "URL", "__dirname", "structuredClone"])
      expect(triggers.globals, name).toContain(name);
    for (const name of ["console", "Array", "Math", "Float64Array", "Promise"]) expect(triggers.globals, name).not.toContain(name);
    expect(triggers.members).toContain("captureStackTrace");
    expect(triggers.members).toContain("dispose");
  });

  it("compiles notebook 04's cells without it, as with it", () => {
    const nb = JSON.parse(readFileSync(join(root, "notebooks/04-backprop.ipynb"), "utf8")) as {
      cells: { cell_type: string; source: string | string[] }[];
    };
    const cells = nb.cells
      .filter((c) => c.cell_type === "code")
      .map((c) => (typeof c.source === "string" ? c.source : c.source.join("")))
      .filter((c) => !c.startsWith("%"));
    expect(cells.length).toBeGreaterThan(5);
    expect(compileBoth(cells).every((n) => !n)).toBe(true);
  });

  it("takes it at the first cell that needs it, after cells that did not, and keeps it", () => {
    const node = compileBoth([
      'import { grad, tensor } from "gradlab";\nconst g = grad((x) => x.mul(x).sum())(tensor([1, 2, 3]));\ng',
      "const a: number = 1;\nconsole.log(a, g);\nconsole.table([{ a }], ['a']);",
      "let wrong: number = 'x';",
      "function twice(n: number): number { return 2 * n; }\ntwice(a)",
      'const b = Buffer.from("ab");\ntwice(a) + b.length',
      "const later: string = 1;",
      "const t = setTimeout(() => twice(a), 0);\nclearTimeout(t);\nt",
    ]);
    expect(node).toEqual([false, false, false, false, true, true, true]);
  });

  it.each([
    ["a Node global", "process.pid"],
    ["a Node type", "let t: NodeJS.Timeout | undefined;"],
    ["a member Node adds to the lib", "Error.captureStackTrace({});"],
    ["a Node module", 'import { readFileSync } from "node:fs";\nreadFileSync'],
    ["a builtin module without node:", 'import * as path from "path";\npath.sep'],
    ["a global by its string", 'const g: any = globalThis["process"];'],
    ["console's methods that take Node's types", "console.dir({ a: 1 }, { depth: 0 });"],
    ["console as a value", "const c = console;\nc.log(1);"],
    ["a console method it lacks", "console.lg(1);"],
    ["import.meta", "const u = import.meta.url;"],
    ["a global augmentation", "declare global { interface Window { x: number } }\nexport {};"],
    ["a misspelt Node global", "proces.pid"],
  ])("takes it for %s, compiling as with it", (_, cell) => {
    expect(compileBoth(['import { tensor } from "gradlab";\nconsole.log(tensor([1]));', cell])).toEqual([false, true]);
  });

  it("keeps without it what names nothing of Node", () => {
    const node = compileBoth([
      "const xs = [1, 2, 3].map((x) => x * 2);\nxs.at(-1)",
      "class Point { constructor(public x: number, public y: number) {} }\nnew Point(1, 2)",
      "const s = new Float64Array(3);\ns.at(0)",
      "const missing = notDefinedAnywhere + 1;",
      "console.warn('w'); console.error(new Error('e').message);",
    ]);
    expect(node).toEqual([false, false, false, false, false]);
  });

  it("tells the host before each build against it, and before none without it", () => {
    let told = 0;
    const lazy = createTsConverter(dir, { nodeTypes: triggers, beforeNodeBuild: () => told++ });
    opened.push(lazy);
    const light = lazy.convert("", 'import { tensor } from "gradlab";\nconst t = tensor([1, 2]);\nt');
    expect(light.diagnostics).toEqual([]);
    expect(lazy.stats().fullBuilds).toBeGreaterThan(0);
    expect(told).toBe(0);
    const heavy = lazy.convert(light.declOutput ?? "", "const n: number = process.pid;\nn");
    expect(heavy.diagnostics).toEqual([]);
    expect(lazy.stats().nodeTypes).toBe(true);
    expect(told).toBe(1);
  });

  it("takes it from the start in a notebook folder with type packages of its own (they may reference it)", () => {
    const own = mkdtempSync(join(tmpdir(), "gradlab-node-types-own-"));
    try {
      mkdirSync(join(own, "node_modules", "@types", "shapes"), { recursive: true });
      writeFileSync(join(own, "node_modules", "@types", "shapes", "index.d.ts"), "declare const area: (r: number) => number;\n");
      let told = 0;
      const lazy = createTsConverter(own, { nodeTypes: triggers, beforeNodeBuild: () => told++ });
      opened.push(lazy);
      const r = lazy.convert("", "const a: number = area(2);\nconsole.log(a);");
      expect(r.diagnostics).toEqual([]);
      expect(lazy.stats().nodeTypes).toBe(true);
      // The first build is against it: the host is told before it.
      expect(told).toBe(1);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe("the library's declarations", () => {
  it("need nothing of @types/node (checked in full, without it)", () => {
    const options = { ...probe.baseOptions, types: [], skipLibCheck: false, noEmit: true };
    const host = ts.createCompilerHost(options);
    const p = ts.createProgram({ rootNames: [join(root, "dist/src/index.d.ts")], options, host });
    const diags = ts.getPreEmitDiagnostics(p).filter((d) => d.file && !p.isSourceFileDefaultLibrary(d.file));
    expect(diags.map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`)).toEqual([]);
  });
});
