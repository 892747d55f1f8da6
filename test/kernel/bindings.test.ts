/**
 * @file Notebook names over ZeroMQ with the real kernel: each is one binding, shared by every
 * cell and every function a cell declares (a function sees the value a later cell assigns, whether
 * it was declared in the same cell as the variable or in another); a cell that fails before a
 * declaration keeps the earlier value; re-running cells that declare `let`, `const`, `function`,
 * `class`, `enum` and `namespace` works, and so do destructuring, loops over `var`, imports used by
 * later cells and a cell's value; errors name cell lines, in earlier cells' functions, timers,
 * late rejections and magics too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KernelClient } from "../../cli/client/kernel-client.js";
import { resultText, startKernel, streamText } from "./helpers.js";

let kc: KernelClient;
beforeAll(async () => {
  kc = await startKernel();
});
afterAll(async () => {
  await kc?.close();
});

type Reply = Awaited<ReturnType<KernelClient["execute"]>>;

async function value(code: string): Promise<unknown> {
  const r = await kc.execute(code);
  expect(r.status, `${code}: ${JSON.stringify(r.error)}`).toBe("ok");
  return resultText(r);
}

describe("one binding per notebook name", () => {
  it("a function declared in the same cell as a variable sees the value a later cell assigns", async () => {
    await value("let k = 1;\nfunction readK() { return k; }");
    await value("k = 5;");
    expect(await value("readK()")).toBe("5");
    // The seminar's case: a learning rate changed after the training function was declared with it.
    await value("let lr = 0.1;\nconst train = () => lr * 10;\nfunction trainFn() { return lr * 10; }");
    await value("lr = 0.01;");
    expect(await value("[train(), trainFn()]")).toBe("[ 0.1, 0.1 ]");
  });

  it("a function's assignment is seen by later cells and by functions of other cells", async () => {
    await value("let count = 0;\nfunction bump() { count += 1; }");
    await value("const readCount = () => count;");
    await value("bump(); bump();");
    expect(await value("[count, readCount()]")).toBe("[ 2, 2 ]");
    await value("count = 10;");
    await value("bump();");
    expect(await value("readCount()")).toBe("11");
  });

  it("a cell that fails before a declaration keeps the earlier value (and its type)", async () => {
    await value('import { tensor, type Tensor } from "gradlab";\nlet weights: Tensor = tensor([0.5, -1.25]);');
    const failed = await kc.execute('throw new Error("bad data");\nlet weights: Tensor = tensor([0, 0]);');
    expect(failed.status).toBe("error");
    expect(await value("weights.mul(2).toArray()")).toBe("[ 1, -2.5 ]");
  });

  it("re-runs cells that declare let, const, function, class, enum and namespace", async () => {
    const cell =
      "let r = 1;\nconst c = r + 1;\nfunction g() { return c * 10; }\nclass P { v = g(); }\nenum Dir { Up = 1, Down }\nnamespace NS { export const z = 7; }\n[r, c, g(), new P().v, Dir.Down, NS.z]";
    expect(await value(cell)).toBe("[ 1, 2, 20, 20, 2, 7 ]");
    expect(await value(cell)).toBe("[ 1, 2, 20, 20, 2, 7 ]");
    expect(await value("[new P() instanceof P, Dir[2], NS.z]")).toBe("[ true, 'Down', 7 ]");
    // A name declared again with another kind.
    expect(await value("const g = 3;\ng")).toBe("3");
    expect(await value("function c() { return 'fn'; }\nc()")).toBe("fn");
  });

  it("a function is usable before its declaration in the cell, and calls itself through the notebook's binding", async () => {
    expect(await value("const early = fact(5);\nfunction fact(n: number): number { return n <= 1 ? 1 : n * fact(n - 1); }\nearly")).toBe(
      "120",
    );
    await value("const original = fact;");
    await value("function fact(n: number): number { return -n; }");
    // Like a module-level function: the recursive call reads the current binding (3 * fact(2)).
    expect(await value("original(3)")).toBe("-6");
  });

  it("destructuring, top-level var loops and shorthand properties read and write the shared binding", async () => {
    await value("const { a, b: [bb, ...rest], ...others } = { a: 1, b: [2, 3, 4], c: 5 };\nconst peek = () => ({ a, bb, rest, others });");
    expect(await value("JSON.stringify(peek())")).toBe('{"a":1,"bb":2,"rest":[3,4],"others":{"c":5}}');
    await value("let total = 0;\nfor (var step = 0; step < 4; step++) total += step;\nconst seen = () => [step, total];");
    expect(await value("seen()")).toBe("[ 4, 6 ]");
    expect(await value("step * 10")).toBe("40");
    await value("total = -1;");
    expect(await value("seen()")).toBe("[ 4, -1 ]");
  });

  it("imports are bound for later cells; a cell's value is its last expression", async () => {
    await value('import { tensor as t2 } from "gradlab";\nimport * as path from "node:path";');
    expect(await value("t2([1, 2]).mul(3).toArray()")).toBe("[ 3, 6 ]");
    expect(await value('path.join("a", "b")')).toBe("a/b");
    expect(await value("const last = 4;\nlast * 2\ninterface Later {}")).toBe("8");
  });

  it("a top-level loop over a notebook name changes the binding functions see", async () => {
    await value("let s = 0;\nconst readS = () => s;");
    await value("for (let i = 0; i < 1000; i++) { s += i; }");
    expect(await value("readS()")).toBe("499500");
  });

  it("a function or class stored under a notebook name keeps the name it is declared with", async () => {
    expect(await value("const named = () => 1;\nlet K3 = class {};\nvar fe = function () {};\n[named.name, K3.name, fe.name].join()")).toBe(
      "named,K3,fe",
    );
  });
});

describe("frames in cell lines", () => {
  const frames = (r: Reply) => (r.error?.traceback ?? []).join("\n");

  it("an error raised in a function an earlier cell declared names that cell's line", async () => {
    const decl = await kc.execute(
      "const unused = 0;\n\n// three lines down\nfunction bad(n: number): number {\n  if (n > 3) throw new RangeError(`too big: ${n}`);\n  return n;\n}",
    );
    expect(decl.status).toBe("ok");
    const r = await kc.execute("const fine = 1;\nbad(9);");
    expect(r.status).toBe("error");
    const tb = frames(r);
    expect(tb).toContain(`at bad, In [${decl.executionCount}], line 5: if (n > 3) throw new RangeError(\`too big: \${n}\`);`);
    expect(tb).toContain("at cell line 2: bad(9);");
    expect(tb).not.toMatch(/cell\[\d+\]:\d+|dist\/kernel/);
  });

  it("%time of a raising call shows the function's cell line and no frame of the kernel", async () => {
    const r = await kc.execute("%time bad(10)");
    expect(r.status).toBe("error");
    const tb = frames(r);
    expect(tb).toMatch(/at bad, In \[\d+\], line 5: if \(n > 3\)/);
    expect(tb).not.toMatch(/dist\/kernel|kernel\/magics|cell\[\d+\]:\d+|magic\[\d+\]:\d+/);
  });

  it("a timer's error and a late rejection are reported with the cell lines of the code that raised", async () => {
    // Declared in one cell, started in the next, which waits past them: their output is that cell's.
    const decl = await kc.execute(
      'function later() {\n  setTimeout(() => {\n    throw new Error("late timer");\n  }, 0);\n}\nfunction rejectLater() {\n  void Promise.reject(new Error("late rejection"));\n}',
    );
    expect(decl.status).toBe("ok");
    const timer = await kc.execute("later();\nawait new Promise((r) => setTimeout(r, 50));");
    const text = streamText(timer.outputs, "stderr");
    expect(text).toContain("Error: late timer");
    expect(text).toContain(`In [${decl.executionCount}], line 3: throw new Error("late timer");`);
    const rejected = await kc.execute("rejectLater();\nawait new Promise((r) => setTimeout(r, 50));");
    const text2 = streamText(rejected.outputs, "stderr");
    expect(text2).toContain("Error: late rejection");
    expect(text2).toContain(`at rejectLater, In [${decl.executionCount}], line 7: void Promise.reject(new Error("late rejection"));`);
    expect(text + text2).not.toMatch(/cell\[\d+\]:\d+/);
  });
});
