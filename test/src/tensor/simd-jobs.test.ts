/**
 * @file How products split into chunks (src/tensor/simd-jobs.ts): chunks that depend on the shape
 * alone, cover every row once at the kernels' alignment, and vector-matrix partials added in chunk
 * order; checked against sums written out by hand.
 */
import { describe, expect, test } from "vitest";
import { Op, STREAM_MAX_COLUMNS, foldPartials, outputBytes, plan, runAll, type ProductExports } from "../../../src/tensor/simd-jobs.js";

/** The row ranges of a plan, in order. */
function ranges(op: Op, rows: number): [number, number][] {
  const { step, chunks } = plan(op, [0, 0, 0, rows, 5, 7]);
  return Array.from({ length: chunks }, (_, c) => [c * step, Math.min((c + 1) * step, rows)]);
}

describe("plan", () => {
  test.each([0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 1000, 4000, 4001])(
    "%i rows: at most four chunks covering each row once, 8-aligned",
    (rows) => {
      for (const op of [Op.Matvec, Op.Vecmat, Op.Matvec2, Op.Vecmat2, Op.Matmat]) {
        const r = ranges(op, rows);
        expect(r.length).toBeGreaterThanOrEqual(1);
        expect(r.length).toBeLessThanOrEqual(4);
        expect(r[0][0]).toBe(0);
        expect(r[r.length - 1][1]).toBe(rows);
        for (let c = 1; c < r.length; c++) {
          expect(r[c][0]).toBe(r[c - 1][1]);
          expect(r[c][1]).toBeGreaterThan(r[c][0]);
          if (op !== Op.Matmat) expect(r[c][0] % 8).toBe(0);
        }
      }
    },
  );

  test("4000 x 1000: four chunks of 1000 rows; matmat splits by single rows", () => {
    expect(plan(Op.Vecmat, [0, 0, 0, 4000, 1000])).toEqual({ step: 1000, chunks: 4 });
    expect(plan(Op.Matmat, [0, 0, 0, 3, 5, 7])).toEqual({ step: 1, chunks: 3 });
    expect(plan(Op.Matvec, [0, 0, 0, 20, 5])).toEqual({ step: 8, chunks: 3 });
  });

  test("vector-matrix outputs hold one partial per chunk", () => {
    expect(outputBytes(Op.Vecmat, [0, 0, 0, 4000, 1000])).toBe(4 * 1000 * 8);
    expect(outputBytes(Op.Vecmat2, [0, 0, 0, 20, 5])).toBe(3 * 2 * 5 * 8);
    expect(outputBytes(Op.Matvec, [0, 0, 0, 20, 5])).toBe(20 * 8);
    expect(outputBytes(Op.Matmat, [0, 0, 0, 3, 5, 7])).toBe(3 * 7 * 8);
  });
});

describe("foldPartials", () => {
  test("adds the partials in chunk order, ((P0 + P1) + P2)", () => {
    // 1e16 + 1 - 1e16 is 0 in that order, 1 in others: the order is what is tested
    const out = new Float64Array([1e16, 5, 1, 6, -1e16, 7]);
    expect(Array.from(foldPartials(out, 3, 2))).toEqual([1e16 + 1 + -1e16, 5 + 6 + 7]);
    expect(foldPartials(out, 3, 2)[0]).toBe(0);
  });

  test("one partial is returned as it is (a copy), and the input is left alone", () => {
    const out = new Float64Array([1, 2, 3]);
    const y = foldPartials(out, 1, 3);
    expect(Array.from(y)).toEqual([1, 2, 3]);
    y[0] = 9;
    expect(out[0]).toBe(1);
  });
});

describe("runChunk's kernel for y = A x", () => {
  /** The calls a product makes, recorded by a fake of simd.wat's exports. */
  function calls(args: number[]): string[] {
    const seen: string[] = [];
    const record =
      (name: string) =>
      (...a: number[]) =>
        void seen.push(`${name} rows ${a[3]} n ${a[4]}`);
    const fake = {
      matvec: record("matvec"),
      matvecStream: record("matvecStream"),
      vecmat: record("vecmat"),
      matvec2: record("matvec2"),
      vecmat2: record("vecmat2"),
      matmat: record("matmat"),
    };
    runAll(fake as ProductExports, Op.Matvec, args);
    return seen;
  }

  test("rows up to STREAM_MAX_COLUMNS entries stream one at a time; longer rows go eight at a time", () => {
    expect(calls([0, 0, 0, 20, 1000])).toEqual(["matvecStream rows 8 n 1000", "matvecStream rows 8 n 1000", "matvecStream rows 4 n 1000"]);
    expect(calls([0, 0, 0, 3, STREAM_MAX_COLUMNS])).toEqual([`matvecStream rows 3 n ${STREAM_MAX_COLUMNS}`]);
    expect(calls([0, 0, 0, 3, STREAM_MAX_COLUMNS + 1])).toEqual([`matvec rows 3 n ${STREAM_MAX_COLUMNS + 1}`]);
  });
});
