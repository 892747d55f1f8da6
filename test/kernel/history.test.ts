/** @file Unit tests for history_request answers (kernel/protocol/history.ts). */
import { expect, it } from "vitest";
import { History } from "../../kernel/protocol/history.js";

it("answers tail, range and search (glob, unique, n), with or without outputs", () => {
  const h = new History();
  ["let a = 1;", "a + 1", "a + 1", "const b = 2;"].forEach((c, i) => h.add(i + 1, c));
  h.setOutput(2, "2");
  expect(h.query({ hist_access_type: "tail", n: 2 })).toEqual([
    [1, 3, "a + 1"],
    [1, 4, "const b = 2;"],
  ]);
  expect(h.query({ hist_access_type: "range", session: 1, start: 2, stop: 3, output: true })).toEqual([[1, 2, ["a + 1", "2"]]]);
  expect(h.query({ hist_access_type: "range", session: 7, start: 1 })).toEqual([]);
  expect(h.query({ hist_access_type: "search", pattern: "a +*" })).toHaveLength(2);
  expect(h.query({ hist_access_type: "search", pattern: "a +*", unique: true })).toEqual([[1, 2, "a + 1"]]);
  expect(h.query({ hist_access_type: "search", pattern: "?et*" })).toEqual([[1, 1, "let a = 1;"]]);
  expect(h.query({ hist_access_type: "bogus" })).toEqual([]);
});
