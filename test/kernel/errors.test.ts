/** @file Unit tests for error formatting (kernel/engine/errors.ts). */
import { expect, it } from "vitest";
import vm from "node:vm";
import { createTsConverter, REPO_ROOT } from "../../kernel/engine/compiler/index.js";
import { sourceLine } from "../../kernel/engine/source-map.js";
import { diagnosticsError, mapJsLine, runtimeError, setEngineBundle } from "../../kernel/engine/errors.js";

it("maps an emitted JavaScript line back to the TypeScript line it came from", () => {
  const ts = ["const a: number = 1;", "function boom(): never {", '  throw new Error("boom");', "}", "boom();"];
  expect(mapJsLine('    throw new Error("boom");', ts)).toBe(2);
  expect(mapJsLine("boom();", ts)).toBe(4);
  expect(mapJsLine("exports.a = 1;", ts)).toBe(0);
  expect(mapJsLine("   ", ts)).toBeUndefined();
});

it("formats TypeScript diagnostics with whole-cell line numbers", () => {
  const d = {
    start: { offset: 6, line: 0, character: 6 },
    end: { offset: 7, line: 0, character: 7 },
    messageText: "Bad.",
    category: 1,
    code: 2322,
  };
  expect(diagnosticsError([d], 3)).toEqual({
    ename: "TSError",
    evalue: "line 4:7 - Bad. (TS2322)",
    traceback: ["TSError: TypeScript compilation failed", "line 4:7 - Bad. (TS2322)"],
  });
});

it("formats thrown non-errors and errors from the cell script", () => {
  expect(runtimeError("oops", "cell[1]", "", "", 0)).toEqual({ ename: "Error", evalue: 'Uncaught "oops"', traceback: ["Uncaught oops"] });
  const err = new TypeError("x is not a function");
  err.stack = "TypeError: x is not a function\n    at cell[2]:2:5\n    at node:internal/foo:1:1";
  const r = runtimeError(err, "cell[2]", "(function(exports, require) { let y = 1;\nx();\n})", "let y = 1;\nx();", 1);
  expect(r).toEqual({
    ename: "TypeError",
    evalue: "x is not a function",
    traceback: ["TypeError: x is not a function", "    at cell line 3: x();"],
  });
});

it("reads cell lines from the compiler's source map, exactly where token matching cannot tell", () => {
  const conv = createTsConverter(process.cwd());
  try {
    // Two identical calls; the second throws. Token matching alone would blame the first.
    const code = "let k = 0;\nfunction f(): void {\n  k++;\n  if (k === 2) throw new Error('second');\n}\nf();\nf();";
    const r = conv.convert("", code);
    expect(r.diagnostics).toEqual([]);
    const prefix = "(function(exports, require) { ";
    const wrapped = `${prefix}${r.output}\n})`;
    let err: unknown;
    try {
      vm.runInThisContext(wrapped, { filename: "cell[7]" })({}, () => undefined);
    } catch (e) {
      err = e;
    }
    const out = runtimeError(err, "cell[7]", wrapped, code, 0, { mappings: r.mappings!, shift: prefix.length });
    const cellFrames = (tb: string[]) => tb.filter((l) => l.includes("cell line"));
    expect(cellFrames(out.traceback)).toEqual([
      "    at f, cell line 4: if (k === 2) throw new Error('second');",
      "    at cell line 7: f();",
    ]);
    expect(cellFrames(runtimeError(err, "cell[7]", wrapped, code, 0).traceback)[1]).toBe("    at cell line 6: f();");
    // Output line 1 is the "__esModule" marker, which maps to no cell line.
    expect(sourceLine(r.mappings!, 0, 0)).toBeUndefined();
  } finally {
    conv.close();
  }
});

it("folds frames inside the gradlab library into one line per run, unless filtering is off", () => {
  const lib = (fn: string) => `    at ${fn} (file://${REPO_ROOT}/dist/src/ops/arith.js:10:12)`;
  const err = new Error("add: shapes cannot be broadcast: [2] and [3]");
  err.stack = [
    `Error: ${err.message}`,
    lib("broadcastShapes"),
    lib("add"),
    "    at f (cell[4]:2:5)",
    lib("grad"),
    "    at cell[4]:3:1",
    "    at other (/elsewhere/x.js:1:1)",
  ].join("\n");
  const js = "(function(exports, require) { let z = 1;\nf();\ngrad(f);\n})";
  const ts = "let z = 1;\nf();\ngrad(f);";
  expect(runtimeError(err, "cell[4]", js, ts, 0).traceback).toEqual([
    "Error: add: shapes cannot be broadcast: [2] and [3]",
    "    (2 frames inside gradlab)",
    "    at f, cell line 2: f();",
    "    (1 frame inside gradlab)",
    "    at cell line 3: grad(f);",
    "    at other (/elsewhere/x.js:1:1)",
  ]);
  process.env.GRADLAB_TRACEBACK_FILTERING = "off";
  try {
    expect(runtimeError(err, "cell[4]", js, ts, 0).traceback[1]).toBe(lib("broadcastShapes"));
  } finally {
    delete process.env.GRADLAB_TRACEBACK_FILTERING;
  }
});

it("of a host running the engine and the library as one bundle, drops the frames below the outermost cell frame and folds those above", () => {
  const bundle = "http://127.0.0.1:8000/build/gradlab/worker.js";
  const err = new Error("matmul: inner dimensions differ: [2] @ [3]");
  err.stack = [
    `Error: ${err.message}`,
    `    at matmulKernel (${bundle}:8068:33443)`,
    `    at Object.matmul (${bundle}:8068:15050)`,
    "    at f (cell[4]:2:5)",
    `    at vjp (${bundle}:8068:51374)`,
    "    at cell[4]:3:1",
    "    at eval (<anonymous>)",
    `    at ${bundle}:8165:188`,
    `    at Executor.interruptible (${bundle}:8165:627)`,
  ].join("\n");
  const js = "(function(exports, require) { let z = 1;\nf();\ngrad(f);\n})";
  const ts = "let z = 1;\nf();\ngrad(f);";
  setEngineBundle(bundle);
  try {
    expect(runtimeError(err, "cell[4]", js, ts, 0).traceback).toEqual([
      `Error: ${err.message}`,
      "    (2 frames inside gradlab)",
      "    at f, cell line 2: f();",
      "    (1 frame inside gradlab)",
      "    at cell line 3: grad(f);",
    ]);
  } finally {
    setEngineBundle(undefined);
  }
});

it("names a function Node's timers called by its own name, an arrow by none (not the Timeout object's property)", () => {
  const err = new Error("late");
  err.stack = ["Error: late", "    at Timeout.late [as _onTimeout] (cell[2]:2:9)", "    at Timeout._onTimeout (cell[2]:4:30)"].join("\n");
  const ts = 'function late() {\n  throw new Error("late");\n}\nsetTimeout(() => late(), 0);';
  expect(runtimeError(err, "cell[2]", ts, ts, 0).traceback).toEqual([
    "Error: late",
    '    at late, cell line 2: throw new Error("late");',
    "    at cell line 4: setTimeout(() => late(), 0);",
  ]);
});
