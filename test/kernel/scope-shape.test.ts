/**
 * @file The notebook's scope object keeps V8's fast properties (an inline-cached property access
 * per notebook name) through the cells a notebook runs: values, declarations and redeclarations,
 * failed cells, imports, async cells. An object V8 has turned into a dictionary makes every
 * notebook name several times slower (a `delete` of one of its properties does that). The
 * executor runs in this process, as in the kernel's executor.
 */
import v8 from "node:v8";
import { beforeAll, describe, expect, it } from "vitest";
import { createDisplay } from "../../kernel/engine/display.js";
import { Executor } from "../../kernel/engine/executor.js";
import { assertBuilt } from "../support/build.js";

// The executor loads the built library (dist/src) for `import ... from "gradlab"`.
beforeAll(() => assertBuilt(["src"]));

v8.setFlagsFromString("--allow-natives-syntax");
const hasFastProperties = new Function("o", "return %HasFastProperties(o);") as (o: object) => boolean;

describe("the notebook's scope object", () => {
  it("keeps fast properties through values, redeclarations, failures, imports and awaits", async () => {
    const display = createDisplay({ display: () => undefined, clear: () => undefined });
    const ex = new Executor(process.cwd(), display, {});
    const run = async (code: string) => {
      try {
        return (await ex.run(code, "cell[1]", 0)).value;
      } catch {
        return "failed";
      }
    };
    expect(await run("let s = 0;\n1 + 1")).toBe(2);
    for (let k = 0; k < 30; k++) await run(`const v${k} = ${k};\nv${k} * 2`);
    expect(await run("let s = 5;\ns")).toBe(5);
    expect(await run('throw new Error("x");\nlet s = 9;')).toBe("failed");
    expect(await run('import { tensor } from "gradlab";\ntensor([1, 2]).toArray()')).toEqual([1, 2]);
    expect(await run("const w = await Promise.resolve(3);\nw + s")).toBe(8);
    expect(await run("function f() { return s; }\nclass C {}\nenum E { A }\nf()")).toBe(5);
    expect(await run("for (let i = 0; i < 10; i++) s += i;\ns")).toBe(50);
    expect(Object.keys(ex.scope)).not.toContain("tsLastExpr");
    expect(hasFastProperties(ex.scope)).toBe(true);
  });
});
