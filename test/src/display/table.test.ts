/** @file Plain-text tables: columns aligned, long cells wrapped to the linewidth, numbers never cut. */
import { afterEach, describe, expect, test } from "vitest";
import { formatTable, tableText } from "../../../src/display/table.js";
import { resetPrintOptions, setPrintOptions } from "gradlab";

afterEach(() => {
  resetPrintOptions();
});

const width = (text: string) => Math.max(...text.split("\n").map((l) => [...l].length));
/** The words of a text, whitespace ignored: what wrapping must keep. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("formatTable", () => {
  test("aligns narrow tables as before; a newline in a cell starts a line inside it", () => {
    expect(
      formatTable([
        ["a", "bb"],
        ["ccc", "d"],
      ]),
    ).toBe("a    bb\nccc  d");
    expect(formatTable([["1", "x\ny", "z"]])).toBe("1  x  z\n   y");
    expect(
      formatTable(
        [
          ["i", "value"],
          ["1", "[0.1, 0.2, 0.3]"],
        ],
        16,
      ),
    ).toBe("i  value\n1  [0.1, 0.2,\n   0.3]");
  });

  test("wide tables wrap their widest cells to the linewidth, keeping every word and number whole", () => {
    const long = Array.from({ length: 12 }, (_, k) => (k / 7 - 0.5).toPrecision(12)).join(", ");
    const rows = [
      ["i", "vertex", "value"],
      ["1", "u1 = x", `[${long}]`],
      ["2", "u2 = mul(u1, u1)", "[1, 2]"],
    ];
    const text = formatTable(rows, 60);
    expect(width(text)).toBeLessThanOrEqual(60);
    expect(words(text)).toEqual(words(rows.flat().join(" ")));
    // the short rows are not padded to the long cell: the row of u2 is one line
    expect(text.split("\n").filter((l) => l.startsWith("2  "))).toEqual(["2  u2 = mul(u1, u1)  [1, 2]"]);
    // the natural table would have been wider than 60
    expect(width(formatTable(rows, 1000))).toBeGreaterThan(200);
  });

  test("a column is never narrower than its longest number, and one-cell rows span the table", () => {
    const n = "-1.2345678901234567e-100";
    const text = formatTable([["a", "b", "c"], ["x".repeat(30), `${n} ${n}`, "y"], ["… 9 rows omitted …"]], 40);
    expect(words(text)).toContain(n);
    // a short word before a long number does not make the number break
    expect(
      words(
        formatTable(
          [
            ["k", "v"],
            ["1", `ab ${n}`],
          ],
          20,
        ),
      ),
    ).toEqual(["k", "v", "1", "ab", n]);
    expect(text.split("\n").at(-1)).toBe("… 9 rows omitted …");
    expect(formatTable([["a", "b"], ["1", "2"], ["… 9 rows omitted …"]])).toBe("a  b\n1  2\n… 9 rows omitted …");
  });

  test("tableText follows setPrintOptions' linewidth, caption included", () => {
    const spec = { caption: "word ".repeat(30).trim(), head: ["k", "v"], rows: [["1", "z ".repeat(40).trim()]] };
    expect(width(tableText(spec))).toBeGreaterThan(40);
    setPrintOptions({ linewidth: 40 });
    expect(width(tableText(spec))).toBeLessThanOrEqual(40);
    expect(words(tableText(spec))).toEqual(words(`${spec.caption} k v 1 ${spec.rows[0][1]}`));
  });
});
