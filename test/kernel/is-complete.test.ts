/** @file Unit tests for is_complete answers (kernel/protocol/is-complete.ts). */
import { expect, it } from "vitest";
import { isCompleteReply } from "../../kernel/protocol/is-complete.js";

it("tells complete, incomplete (with indent) and invalid TypeScript apart, magics included", () => {
  expect(isCompleteReply("const x: number = 1;")).toEqual({ status: "complete" });
  expect(isCompleteReply("function f() {")).toEqual({ status: "incomplete", indent: "  " });
  expect(isCompleteReply("const s = `a\n${1}")).toEqual({ status: "incomplete", indent: "" });
  expect(isCompleteReply("let y = )")).toEqual({ status: "invalid" });
  expect(isCompleteReply("%timeit f(x)\nconst z = 2;")).toEqual({ status: "complete" });
  expect(isCompleteReply("%%html\n<b>")).toEqual({ status: "complete" });
  expect(isCompleteReply("")).toEqual({ status: "complete" });
});
