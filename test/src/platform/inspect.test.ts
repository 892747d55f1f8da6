/** The browser platform's printer gives util.inspect's text, line breaks and columns included. */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { inspectValue } from "../../../src/platform/inspect.js";

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

/** A class that prints itself (as gradlab's Tensor does). */
class Printed {
  constructor(readonly text: string) {}
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.text;
  }
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
    "an object too long for one line",
    {
      u4: -0.2500230363107925,
      u5: 0.24997696368920752,
      u6: 0.5621708308564505,
      u7: -0.4378291691435495,
      u8: 0.09584719067646545,
      u9: 1.1789602306625244,
    },
  ],
  ["objects nested four deep", { a: { b: { c: { d: 1 } } }, e: 2 }],
  ["an array of 7 numbers", [1, 2, 3, 4, 5, 6, 7]],
  ["an array of 40 numbers of different widths", Array.from({ length: 40 }, (_, i) => ((i * 7919) % 1000) / (i % 3 ? 1 : 7))],
  ["an array of 12 strings", Array.from({ length: 12 }, (_, i) => "item" + "x".repeat(i % 4))],
  ["an array of 120 zeros", Array.from({ length: 120 }, () => 0)],
  ["a long typed array", Float64Array.from({ length: 30 }, (_, i) => Math.sin(i))],
  [
    "values that print themselves",
    { x: new Printed("tensor([1, 2])"), w: [new Printed("tensor(3)")], many: new Printed("line 1\nline 2") },
  ],
  ["a long Map", new Map(Array.from({ length: 8 }, (_, i) => [`key number ${i}`, { value: i * 1000.5 }]))],
  ["objects in an array", Array.from({ length: 5 }, (_, i) => ({ index: i, name: `entry ${i}`, weights: [i, i + 0.5] }))],
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
      // util.inspect marks the first circular reference with <ref *1>; this printer does not
      const want = inspect(v, { depth }).replace(/^<ref \*1> /, "");
      expect(inspectValue(v, depth)).toBe(want);
    });
  }

  it("cuts arrays after 100 items as util.inspect does", () => {
    const long = Array.from({ length: 120 }, () => 0);
    expect(inspectValue(long, 1)).toMatch(/\.\.\. 20 more items\n\]$/);
    expect(inspectValue(long, 1).match(/0/g)).toHaveLength(101); // 100 items and the 0 of "20"
  });
});
