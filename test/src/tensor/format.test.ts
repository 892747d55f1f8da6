/** @file Tensor rendering: numpy's text (checked against numpy's own repr), summaries of large tensors, HTML tables, display bundles. */
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { JUPYTER_DISPLAY, div, isDisplayable, resetPrintOptions, setPrintOptions, tensor, zeros } from "gradlab";

afterEach(() => {
  resetPrintOptions();
});

/**
 * numpy's repr in gradlab's layout: `array(` becomes `tensor(`, one character longer, so lines
 * that continue inside the brackets move one column right (blank lines between blocks stay).
 */
const fromNumpy = (repr: string): string => repr.replace(/^array\(/, "tensor(").replace(/\n(?= )/g, "\n ");

describe("tensor rendering", () => {
  test("numpy-like text for scalars, vectors, matrices and 3-D tensors", () => {
    expect(String(tensor(3))).toBe("tensor(3.)");
    expect(String(tensor([1, 2]))).toBe("tensor([1., 2.])");
    expect(
      String(
        tensor([
          [1, 2.5],
          [-3, 4],
        ]),
      ),
    ).toMatchInlineSnapshot(`
      "tensor([[ 1.0,  2.5],
              [-3.0,  4.0]])"
    `);
    expect(String(tensor([[[1, 2]], [[3, 4]]]))).toBe("tensor([[[1., 2.]],\n\n        [[3., 4.]]])");
    expect(String(tensor([1e-9, 1]))).toBe("tensor([1.e-09, 1.e+00])"); // numpy: array([1.e-09, 1.e+00])
    expect(String(tensor([NaN, Infinity, -Infinity]))).toBe("tensor([ nan,  inf, -inf])");
  });

  // Each expectation is numpy 2.4's repr of the same array with set_printoptions(precision=...,
  // floatmode="maxprec_equal"), through fromNumpy.
  test("setPrintOptions({ precision }) is numpy's precision for every entry, large ones included", () => {
    setPrintOptions({ precision: 3 });
    expect(String(tensor([123.456, 0.5]))).toBe(fromNumpy("array([123.456,   0.500])"));
    expect(String(tensor([12345678.9, 0.5]))).toBe(fromNumpy("array([1.235e+07, 5.000e-01])"));
    expect(String(tensor([1 / 3, -2 / 7, 1e3 / 7]))).toBe(fromNumpy("array([  0.333,  -0.286, 142.857])"));
    expect(String(tensor([0.001234, 0.5]))).toBe(fromNumpy("array([0.001, 0.500])"));
    expect(String(tensor([99999999.9, 1]))).toBe(fromNumpy("array([1.e+08, 1.e+00])"));
    expect(String(tensor([1, 10000]))).toBe(fromNumpy("array([1.e+00, 1.e+04])")); // ratio above 1e3
    expect(String(tensor([1, 1000]))).toBe(fromNumpy("array([   1., 1000.])"));
    expect(String(tensor(12345678.9))).toBe(fromNumpy("array(12345678.9)"));
    setPrintOptions({ precision: 2 });
    // an exact tie rounds to the even digit, as numpy's Dragon4 does (0.125 -> 0.12, 0.375 -> 0.38)
    expect(String(tensor([0.125, 0.375, 0.5]))).toBe(fromNumpy("array([0.12, 0.38, 0.50])"));
    setPrintOptions({ precision: 17 });
    // past the shortest digits numpy prints the exact value: 0.1 is 0.1000000000000000055...
    expect(String(tensor([0.1, 0.12345678901234566]))).toBe(fromNumpy("array([0.10000000000000001, 0.12345678901234566])"));
    setPrintOptions({ precision: null });
    expect(String(tensor([12345678.9, 0.5]))).toBe(fromNumpy("array([1.23456789e+07, 5.00000000e-01])"));
  });

  test("-0 keeps its sign, empty tensors their shape, scientific notation numpy's form", () => {
    expect(String(tensor([-0, 0]))).toBe(fromNumpy("array([-0.,  0.])"));
    expect(String(div(1, tensor([-0, 0])))).toBe(fromNumpy("array([-inf,  inf])"));
    expect(String(tensor([-0, 1.5]))).toBe(fromNumpy("array([-0.0,  1.5])"));
    expect(String(tensor(-0))).toBe(fromNumpy("array(-0.)"));
    // numpy: array([], shape=(0, 3), dtype=float64) and array([], dtype=float64)
    expect(String(zeros([0, 3]))).toBe("tensor([], shape=[0,3])");
    expect(String(zeros([3, 0]))).toBe("tensor([], shape=[3,0])");
    expect(String(zeros([2, 0, 4]))).toBe("tensor([], shape=[2,0,4])");
    expect(String(zeros([0]))).toBe("tensor([])");
    expect(String(tensor([0, 1e-9]))).toBe(fromNumpy("array([0.e+00, 1.e-09])"));
    expect(String(tensor([1e-100, 1]))).toBe(fromNumpy("array([1.e-100, 1.e+000])"));
    expect(String(tensor([5e-324, 1]))).toBe(fromNumpy("array([5.e-324, 1.e+000])"));
    expect(String(tensor([5e-324, 0.123]))).toBe(fromNumpy("array([4.94e-324, 1.23e-001])")); // 5e-324 is 4.94...e-324
    expect(tensor([-0, 1e-9])[JUPYTER_DISPLAY]()["text/html"]).toContain("<td>-0.e+00</td><td>1.e-09</td>");
  });

  test("150 random arrays print as numpy prints them (test/src/tensor/numpy-repr.py wrote the reference)", () => {
    const ref = JSON.parse(readFileSync(new URL("./numpy-repr.json", import.meta.url), "utf8")) as {
      linewidth: number;
      cases: { precision: number | null; shape: number[]; values: string[]; numpy: string }[];
    };
    const num = (r: string): number => ({ nan: NaN, inf: Infinity, "-inf": -Infinity })[r] ?? Number(r);
    expect(ref.cases).toHaveLength(150);
    for (const c of ref.cases) {
      setPrintOptions({ precision: c.precision, linewidth: ref.linewidth });
      expect(String(tensor(c.values.map(num), c.shape)), c.values.join(", ")).toBe(fromNumpy(c.numpy));
    }
  });

  test("large tensors are summarised, never printed whole", () => {
    const text = String(zeros([1000, 1000]));
    expect(text.length).toBeLessThan(400);
    expect(text).toContain("...");
    expect(text).toContain("shape=[1000,1000]");
  });

  test("Jupyter display bundle: text/plain and a small HTML table; util.inspect uses the text", () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(isDisplayable(t)).toBe(true);
    const bundle = t[JUPYTER_DISPLAY]();
    expect(bundle["text/plain"]).toBe(String(t));
    expect(bundle["text/html"]).toContain("<td>4.</td>");
    expect(bundle["text/html"]).toContain("shape [2,2]");
    const big = zeros([100, 100])[JUPYTER_DISPLAY]()["text/html"] as string;
    expect(big.match(/<tr>/g)!.length).toBe(21); // 10 + ellipsis row + 10
    expect(inspect(t)).toBe(String(t));
  });
});
