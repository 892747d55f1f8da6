/** @file Escaping, content ids and tables: user text never becomes markup. */
import { describe, expect, it } from "vitest";
import { contentId, escapeHtml, jsonForScript } from "../../../src/display/escape.js";
import { capRows, formatTable, htmlTable, tableText } from "../../../src/display/table.js";
import { backpropSteps } from "../../../src/graph/steps.js";
import { backward } from "../../../src/graph/passes.js";
import { traceGraph } from "../../../src/graph/api.js";
import { exp, type Tensor } from "gradlab";

describe("escaping", () => {
  it("escapes the five HTML specials", () => {
    expect(escapeHtml(`<script>alert(1)</script> & "q" 'a'`)).toBe("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot; &#39;a&#39;");
  });

  it("keeps JSON inside <script> from closing it", () => {
    const s = jsonForScript({ t: "</script><b>&\u2028" });
    expect(s).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(s)).toEqual({ t: "</script><b>&\u2028" });
  });

  it("derives short deterministic ids from content", () => {
    expect(contentId("abc")).toBe(contentId("abc"));
    expect(contentId("abc")).not.toBe(contentId("abd"));
    expect(contentId("abc")).toMatch(/^[0-9a-z]{1,7}$/);
  });
});

describe("tables", () => {
  it("aligns text and escapes HTML cells, newlines becoming <br>", () => {
    // a newline in a cell continues the cell on the next line, under its column
    expect(
      formatTable([
        ["a", "bb"],
        ["ccc", "d\ne"],
      ]),
    ).toBe("a    bb\nccc  d\n     e");
    const html = htmlTable({ caption: "<c>", head: ["<h>"], rows: [["x\n<y>"]], rowClasses: ["fail"] });
    expect(html).toBe(
      '<table class="gradlab-table"><caption>&lt;c&gt;</caption><thead><tr><th>&lt;h&gt;</th></tr></thead><tbody>\n<tr class="fail"><td>x<br>&lt;y&gt;</td></tr>\n</tbody></table>',
    );
    expect(tableText({ caption: "t", head: ["a"], rows: [["1"]] })).toBe("t\na\n1");
  });

  it("caps long tables to their head and tail", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [String(i)]);
    const capped = capRows(rows, 30);
    expect(capped).toHaveLength(31);
    expect(capped[19]).toEqual(["19"]);
    expect(capped[20]).toEqual(["… 970 rows omitted …"]);
    expect(capped[30]).toEqual(["999"]);
    expect(capRows(rows.slice(0, 5), 30)).toHaveLength(5);
  });

  it("pins the backprop step table of a 2-vertex graph (HTML and text)", () => {
    const g = backward(traceGraph((x: Tensor) => exp(x), 0));
    const steps = backpropSteps(g);
    expect(htmlTable(steps)).toMatchInlineSnapshot(`
      "<table class="gradlab-table"><caption>Reverse mode: ū_m = 1, then for i = m−1 … 1: ū_i = Σ_j ū_j · ∂u_j/∂u_i over the children j of u_i</caption><thead><tr><th>i</th><th>vertex</th><th>u_i</th><th>contributions ū_j · ∂u_j/∂u_i</th><th>ū_i = ∂f/∂u_i</th></tr></thead><tbody>
      <tr><td>2</td><td>u2 = exp(u1)</td><td>1</td><td>seed: ū_m = 1</td><td>1</td></tr>
      <tr><td>1</td><td>u1 = x</td><td>0</td><td>ū2·∂u2/∂u1 = 1</td><td>1</td></tr>
      </tbody></table>"
    `);
    expect(tableText(steps)).toMatchInlineSnapshot(`
      "Reverse mode: ū_m = 1, then for i = m−1 … 1: ū_i = Σ_j ū_j · ∂u_j/∂u_i over the children j of u_i
      i  vertex        u_i  contributions ū_j · ∂u_j/∂u_i  ū_i = ∂f/∂u_i
      2  u2 = exp(u1)  1    seed: ū_m = 1                  1
      1  u1 = x        0    ū2·∂u2/∂u1 = 1                 1"
    `);
  });
});
