/** @file Unit tests for the pure magic parser (kernel/magics/parse.ts). */
import { describe, expect, it } from "vitest";
import { closestName, editDistance, linesInsideLiterals, MagicUsageError, parseCell, parseFlags } from "../../kernel/magics/parse.js";

describe("parseCell", () => {
  it("returns plain TypeScript as one code segment", () => {
    expect(parseCell("let x = 1;\nx + 1")).toEqual([{ type: "code", code: "let x = 1;\nx + 1", line: 0 }]);
  });

  it("splits mixed magics and code in order, keeping line numbers", () => {
    const segs = parseCell("let x = 1;\n%timeit -n 3 x + 1\n\nx * 2");
    expect(segs).toEqual([
      { type: "code", code: "let x = 1;", line: 0 },
      { type: "magic", mode: "line", name: "timeit", args: "-n 3 x + 1", body: "", line: 1 },
      { type: "code", code: "\nx * 2", line: 2 },
    ]);
  });

  it("reads a leading %%name as a cell magic owning the rest of the cell", () => {
    expect(parseCell("\n%%html  \n<b>%hi</b>\n%who")).toEqual([
      { type: "magic", mode: "cell", name: "html", args: "", body: "<b>%hi</b>\n%who", line: 1 },
    ]);
  });

  it("reads %name? and %%name? as help", () => {
    expect(parseCell("%timeit?")).toEqual([{ type: "help", mode: "line", name: "timeit", line: 0 }]);
    expect(parseCell("%%time?")).toEqual([{ type: "help", mode: "cell", name: "time", line: 0 }]);
  });

  it("never treats lines inside template literals or block comments as magics", () => {
    const src = "const s = `a\n%who\n${1 + {a: 1}.a}`;\n/*\n%who\n*/\n%who";
    const segs = parseCell(src);
    expect(segs.map((s) => s.type)).toEqual(["code", "magic"]);
    expect(segs[1]).toMatchObject({ name: "who", line: 6 });
  });

  it("keeps modulo on one line as code and ignores % inside strings", () => {
    expect(parseCell("const r = 7 % 3;\nconst s = '%who';").map((s) => s.type)).toEqual(["code"]);
  });
});

describe("linesInsideLiterals", () => {
  it("marks lines that start inside a template literal", () => {
    expect(linesInsideLiterals("const s = `a\n%b`;\n%who")).toEqual([false, true, false]);
  });
  it("handles nested template substitutions", () => {
    expect(linesInsideLiterals("`${`x\ny`}\nz`\nw")).toEqual([false, true, true, false]);
  });
});

describe("parseFlags", () => {
  it("parses short, long and = flags and leaves the expression verbatim", () => {
    expect(parseFlags("-n 5 --r=2 --quiet f(-x, y)", { n: "number", r: "number", quiet: "boolean" })).toEqual({
      flags: { n: 5, r: 2, quiet: true },
      rest: "f(-x, y)",
    });
  });
  it("stops at -- so an expression may start with a minus", () => {
    expect(parseFlags("-n 2 -- -x", { n: "number" })).toEqual({ flags: { n: 2 }, rest: "-x" });
  });
  it("rejects unknown flags, missing and malformed values with specific messages", () => {
    expect(() => parseFlags("-q f()", { n: "number" })).toThrow(new MagicUsageError("unknown flag -q"));
    expect(() => parseFlags("-n", { n: "number" })).toThrow("flag -n needs a value");
    expect(() => parseFlags("-n ten f()", { n: "number" })).toThrow('flag -n expects a number, got "ten"');
    expect(() => parseFlags("--rankdir XY f", { rankdir: ["LR", "TB"] })).toThrow('expects one of LR|TB, got "XY"');
  });
});

describe("suggestions", () => {
  it("computes Levenshtein distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("timit", "timeit")).toBe(1);
  });
  it("suggests the closest name, or none when nothing is close", () => {
    expect(closestName("whoo", ["who", "whos", "time"])).toBe("who");
    expect(closestName("timit", ["time", "timeit"])).toBe("timeit");
    expect(closestName("zzzzzzzz", ["who", "time"])).toBeUndefined();
  });
});
