/** @file Unit tests for error formatting (kernel/exec/errors.ts). */
import { expect, it } from "vitest";
import { diagnosticsError, mapJsLine, runtimeError } from "../../kernel/exec/errors.js";

it("maps an emitted JavaScript line back to the TypeScript line it came from", () => {
  const ts = ["const a: number = 1;", "function boom(): never {", '  throw new Error("boom");', "}", "boom();"];
  expect(mapJsLine('    throw new Error("boom");', ts)).toBe(2);
  expect(mapJsLine("boom();", ts)).toBe(4);
  expect(mapJsLine("exports.a = 1;", ts)).toBe(0);
  expect(mapJsLine("   ", ts)).toBeUndefined();
});

it("formats TypeScript diagnostics with whole-cell line numbers", () => {
  const d = { start: { offset: 6, line: 0, character: 6 }, end: { offset: 7, line: 0, character: 7 }, messageText: "Bad.", category: 1, code: 2322 };
  expect(diagnosticsError([d], 3)).toEqual({ ename: "TSError", evalue: "line 4:7 - Bad. (TS2322)", traceback: ["TSError: TypeScript compilation failed", "line 4:7 - Bad. (TS2322)"] });
});

it("formats thrown non-errors and errors from the cell script", () => {
  expect(runtimeError("oops", "cell[1]", "", "", 0)).toEqual({ ename: "Error", evalue: 'Uncaught "oops"', traceback: ["Uncaught oops"] });
  const err = new TypeError("x is not a function");
  err.stack = "TypeError: x is not a function\n    at cell[2]:2:5\n    at node:internal/foo:1:1";
  const r = runtimeError(err, "cell[2]", "(function(exports, require) { let y = 1;\nx();\n})", "let y = 1;\nx();", 1);
  expect(r).toEqual({ ename: "TypeError", evalue: "x is not a function", traceback: ["TypeError: x is not a function", "    at cell line 3: x();"] });
});
