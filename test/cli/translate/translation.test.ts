/** @file Translation files: parsing, generating a translated notebook, and every way a translation can go wrong. */
import { describe, expect, it } from "vitest";
import { codeSkeleton } from "../../../cli/translate/skeleton.js";
import type { Notebook } from "../../../cli/notebook/notebook.js";
import { cellHash, parseTranslation, skeletonFor, translateNotebook } from "../../../cli/translate/translation.js";
import { notebookLanguage } from "../../../src/i18n/index.js";

const md = (id: string, text: string) => ({ id, cell_type: "markdown" as const, metadata: {}, source: text });
const code = (id: string, text: string) => ({
  id,
  cell_type: "code" as const,
  metadata: {},
  source: text,
  outputs: [],
  execution_count: null,
});
const english: Notebook = {
  cells: [
    md("intro", "# Backprop\n\nThe adjoint of u_i."),
    code("c1", 'const g = grad(f)(x); // the gradient\nconsole.log("all checks passed", `n = ${n}`);'),
    code("c2", "%backprop f(x, w, b)"),
  ],
  metadata: { kernelspec: { name: "gradlab" } },
  nbformat: 4,
  nbformat_minor: 5,
};
const file = (body: string) => `<!-- gradlab translation: ru -->\n\n${body}`;
const good = file(
  `<!-- cell intro markdown en:${cellHash("# Backprop\n\nThe adjoint of u_i.")} -->\n# Back propagation\n\nСопряжённая переменная ū_i.\n\n` +
    '<!-- cell c1 code -->\nen: // the gradient\nru: // градиент\nen: "all checks passed"\nru: "все проверки пройдены"\nen: `n = \nru: `число n = \n',
);
const translate = (text: string, nb = english) => translateNotebook(nb, parseTranslation(text, "ru/x.md"), "ru/x.md");

describe("codeSkeleton", () => {
  it("drops comments and literal text, keeps code and template expressions", () => {
    expect(codeSkeleton('console.log("all checks passed"); // done')).toBe('console.log("…");');
    expect(codeSkeleton("const s = `n = ${n + 1} of ${m}`; /* note */ f('x')")).toBe("const s = `…${n + 1}…${m}…`; f('…')");
    expect(codeSkeleton("`${a}: ${b}`")).toBe(codeSkeleton("`(${a} ${b})`"));
    expect(codeSkeleton('const s = "a\\"b";')).toBe('const s = "…";');
    expect(codeSkeleton("%%markdown\n# Title\ntext")).toBe("%%markdown …");
  });
  it("tells different code apart", () => {
    expect(codeSkeleton("const a = f(x); // c")).not.toBe(codeSkeleton("const a = g(x); // c"));
    expect(codeSkeleton("`${a}`")).not.toBe(codeSkeleton("`${b}`"));
    expect(codeSkeleton('f("a", 1)')).not.toBe(codeSkeleton('f("a", 2)'));
  });
});

describe("translateNotebook", () => {
  it("replaces markdown, applies code replacements, keeps ids, code and the rest", () => {
    const ru = translate(good);
    expect(ru.cells.map((c) => c.id)).toEqual(["intro", "c1", "c2"]);
    expect(ru.cells[0].source).toEqual(["# Back propagation\n", "\n", "Сопряжённая переменная ū_i."]);
    expect((ru.cells[1].source as string[]).join("")).toBe(
      'const g = grad(f)(x); // градиент\nconsole.log("все проверки пройдены", `число n = ${n}`);',
    );
    expect(ru.cells[2]).toEqual(english.cells[2]);
    // metadata.language tells the kernel the notebook's language (kernel/node/language.ts)
    expect(ru.metadata).toEqual({ kernelspec: { name: "gradlab" }, language: "ru", gradlab: { lang: "ru" } });
    expect(notebookLanguage(ru.metadata)).toBe("ru");
  });

  it("refuses a replacement that changes code", () => {
    const bad = good.replace("en: // the gradient\nru: // градиент", "en: grad(f)\nru: grad(g)");
    expect(() => translate(bad)).toThrow(
      "translate: ru/x.md:8: the replacements in cell c1 (cell 2 of the English notebook) change code, not only comments and strings",
    );
  });

  it("names a missing, stale, unknown or unfindable translation", () => {
    const missing = good.slice(0, good.indexOf("<!-- cell c1"));
    expect(() => translate(good.replace(/<!-- cell intro[^]*?(?=<!-- cell c1)/, ""))).toThrow(
      `translate: ru/x.md: no translation of markdown cell intro (cell 1 of the English notebook); add a section "<!-- cell intro markdown en:${cellHash("# Backprop\n\nThe adjoint of u_i.")} -->"`,
    );
    const changed = { ...english, cells: [md("intro", "# Backprop, changed"), ...english.cells.slice(1)] };
    expect(() => translate(missing, changed)).toThrow(
      /ru\/x.md:3: the English of cell intro \(cell 1 of the English notebook\) changed since it was translated \(en:[0-9a-f]{8}, now en:[0-9a-f]{8}\)/,
    );
    expect(() => translate(`${good}\n<!-- cell gone code -->\nen: a\nru: б\n`)).toThrow(
      "translate: ru/x.md:16: the English notebook has no cell gone (removed or renamed? delete or rename this section)",
    );
    expect(() => translate(good.replace("en: // the gradient", "en: // the gradient!"))).toThrow(
      'translate: ru/x.md:9: "// the gradient!" is not in the code of cell c1',
    );
  });

  it("rejects malformed files with the line", () => {
    expect(() => parseTranslation("# no header", "f.md")).toThrow(
      'translate: f.md:1: expected the first line "<!-- gradlab translation: <lang> -->", got "# no header"',
    );
    expect(() => parseTranslation(file("<!-- cell a markdown -->\nx"), "f.md")).toThrow(
      'translate: f.md:3: markdown cell a needs "en:<hash>"',
    );
    expect(() => parseTranslation(file("<!-- cell a code -->\nen: x\nen: y"), "f.md")).toThrow(
      'translate: f.md:5: two "en:" lines in a row',
    );
    expect(() => parseTranslation(file("<!-- cell a code -->\nen: x\n"), "f.md")).toThrow(
      'translate: f.md:4: "en:" line without the "ru:" line after it',
    );
    expect(() => parseTranslation(file("<!-- cell a code -->\nfoo"), "f.md")).toThrow(
      'expected "en: <English text>" then "ru: <translation>" in code cell a, got "foo"',
    );
    expect(() => parseTranslation(file("stray"), "f.md")).toThrow("translate: f.md:3: text before the first");
    expect(() => parseTranslation(file(`<!-- cell a markdown en:00000000 -->\n\n`), "f.md")).toThrow(
      "translate: f.md:3: cell a has no text",
    );
  });

  it("a skeleton lists every markdown cell with its hash, and translating it unchanged reproduces the English text", () => {
    const skeleton = skeletonFor(english, "ru");
    const back = translate(skeleton);
    expect(back.cells.map((c) => c.source)).toEqual([
      ["# Backprop\n", "\n", "The adjoint of u_i."],
      english.cells[1].source,
      english.cells[2].source,
    ]);
  });
});
