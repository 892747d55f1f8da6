/** The browser platform's printer gives util.inspect's text, on one line. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { inspectValue } from "../../../src/platform/inspect.js";

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const values: [string, unknown][] = [
  ["an object with an array and a string", { a: [1, 2], s: "x" }],
  ["nested arrays", [1, [2, [3, [4]]]]],
  ["nested objects", { x: { y: { z: { w: 1 } } } }],
  [
    "a Map",
    new Map<unknown, unknown>([
      ["a", 1],
      [2, { b: [3] }],
    ]),
  ],
  ["a Set", new Set([1, "two"])],
  ["a typed array", new Float64Array([1, 2.5, -0])],
  ["a class instance", new Point(1, 2)],
  ["keys that need quotes", { "a-b": 1, ok: 2 }],
  ["empty containers", [[], {}, new Map(), new Set()]],
  ["numbers", [-0, 0.1, NaN, -Infinity, 1e21, 12n]],
  ["null and undefined", [null, undefined]],
  ["functions", [function named() {}, () => 1]],
  ["strings with quotes", ["it's", 'say "hi"', "both ' and \""]],
  ["a symbol", Symbol("s")],
  ["a null-prototype object", Object.assign(Object.create(null) as object, { a: 1 })],
  [
    "a circular object",
    (() => {
      const o: Record<string, unknown> = { a: 1 };
      o.self = o;
      return o;
    })(),
  ],
];

describe("inspectValue", () => {
  for (const depth of [0, 1, 2, 4]) {
    it.each(values)(`prints %s as util.inspect does at depth ${depth}`, (_, v) => {
      // util.inspect marks the first circular reference with <ref *1>; this printer does not, and
      // writes on one line what util.inspect breaks over several
      const want = inspect(v, { depth })
        .replace(/^<ref \*1> /, "")
        .replace(/\n\s*/g, " ");
      expect(inspectValue(v, depth)).toBe(want);
    });
  }

  it("cuts arrays after 100 items as util.inspect does", () => {
    const long = Array.from({ length: 120 }, () => 0);
    expect(inspectValue(long, 1)).toMatch(/^\[ 0, 0, .* 0, \.\.\. 20 more items \]$/);
    expect(inspectValue(long, 1).match(/0/g)).toHaveLength(101); // 100 items and the 0 of "20"
  });
});
