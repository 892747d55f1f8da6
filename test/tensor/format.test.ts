/** @file Tensor rendering: numpy-like text, summaries of large tensors, HTML tables, display bundles. */
import { inspect } from "node:util";
import { describe, expect, test } from "vitest";
import { JUPYTER_DISPLAY, isDisplayable, tensor, zeros } from "gradlab";

describe("tensor rendering", () => {
  test("numpy-like text for scalars, vectors, matrices and 3-D tensors", () => {
    expect(String(tensor(3))).toBe("tensor(3.)");
    expect(String(tensor([1, 2]))).toBe("tensor([1., 2.])");
    expect(String(tensor([[1, 2.5], [-3, 4]]))).toMatchInlineSnapshot(`
      "tensor([[ 1.0,  2.5],
              [-3.0,  4.0]])"
    `);
    expect(String(tensor([[[1, 2]], [[3, 4]]]))).toBe("tensor([[[1., 2.]],\n\n        [[3., 4.]]])");
    expect(String(tensor([1e-9, 1]))).toBe("tensor([1e-9, 1e+0])");
    expect(String(tensor([NaN, Infinity, -Infinity]))).toBe("tensor([ nan,  inf, -inf])");
  });

  test("large tensors are summarised, never printed whole", () => {
    const text = String(zeros([1000, 1000]));
    expect(text.length).toBeLessThan(400);
    expect(text).toContain("...");
    expect(text).toContain("shape=[1000,1000]");
  });

  test("Jupyter display bundle: text/plain and a small HTML table; util.inspect uses the text", () => {
    const t = tensor([[1, 2], [3, 4]]);
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
