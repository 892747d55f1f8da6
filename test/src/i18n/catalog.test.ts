/**
 * Every text the code passes to tr()/trn() has a Russian entry with the same placeholders, and the
 * lookup itself (fill, plural forms, the setting shared through globalThis) works.
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RU } from "../../../src/i18n/catalog.js";
import { language, notebookLanguage, setLanguage, tr, trn } from "../../../src/i18n/index.js";

const ROOT = join(import.meta.dirname, "../../..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith(".ts") && !p.includes(`${join("src", "i18n")}`) ? [p] : [];
  });
}

/** The string literal arguments of every tr(...) and trn(..., ...) call in the sources. */
function calls(): { file: string; key: string; placeholders: string[] }[] {
  const out: { file: string; key: string; placeholders: string[] }[] = [];
  const lit = String.raw`"((?:[^"\\]|\\.)*)"`;
  const trRe = new RegExp(String.raw`\btr\(\s*` + lit, "g");
  const trnRe = new RegExp(String.raw`\btrn\(\s*` + lit + String.raw`\s*,\s*` + lit, "g");
  const unquote = (s: string): string => JSON.parse(`"${s}"`) as string;
  for (const file of ["src", "kernel", "cli"].flatMap((d) => sources(join(ROOT, d)))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(trRe)) out.push({ file, key: unquote(m[1]), placeholders: holes(unquote(m[1])) });
    for (const m of text.matchAll(trnRe)) {
      out.push({ file, key: `${unquote(m[1])}|${unquote(m[2])}`, placeholders: holes(unquote(m[2])) });
    }
  }
  return out;
}

const holes = (s: string): string[] => [...new Set([...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe("the Russian catalog", () => {
  it("has an entry for every tr/trn text in src, kernel and cli, with the same placeholders", () => {
    const missing: string[] = [];
    const wrong: string[] = [];
    for (const { file, key, placeholders } of calls()) {
      const ru = RU[key];
      if (ru === undefined) missing.push(`${file.slice(ROOT.length + 1)}: ${JSON.stringify(key)}`);
      else if (key.includes("|") && ru.split("|").length !== 3) wrong.push(`${JSON.stringify(key)}: expected 3 forms separated by |`);
      else {
        for (const form of ru.split("|")) {
          const got = holes(form).filter((h) => h !== "n");
          const want = placeholders.filter((h) => h !== "n");
          if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${JSON.stringify(key)}: placeholders ${got} vs ${want}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(wrong).toEqual([]);
  });

  it("has no Russian entry that is the English text unchanged", () => {
    expect(Object.entries(RU).filter(([en, ru]) => en === ru && /[a-z]{3}/i.test(en.replace(/\{\w+\}/g, "")))).toEqual([]);
  });
});

describe("tr and trn", () => {
  afterEach(() => setLanguage("en"));

  it("fill placeholders and fall back to English for unknown texts", () => {
    expect(tr("{k} of {n}", { k: 1, n: 8 })).toBe("1 of 8");
    setLanguage("ru");
    expect(tr("no such text {x}", { x: 2 })).toBe("no such text 2");
  });

  it("pick the Russian plural form by the number's last digits", () => {
    setLanguage("ru");
    const keys = Object.keys(RU).filter((k) => k.includes("|"));
    expect(trn("{n} thing", "{n} things", 1)).toBe("1 thing");
    expect(trn("{n} thing", "{n} things", 2)).toBe("2 things");
    for (const key of keys) {
      const [one, other] = key.split("|");
      const ru = RU[key].split("|");
      expect(trn(one, other, 21)).toBe(ru[0].replace("{n}", "21"));
      expect(trn(one, other, 3)).toBe(ru[1].replace("{n}", "3"));
      expect(trn(one, other, 12)).toBe(ru[2].replace("{n}", "12"));
    }
  });

  it("share the language through globalThis and reject unknown languages with the list of known ones", () => {
    setLanguage("ru-RU");
    expect(language()).toBe("ru");
    expect((globalThis as Record<symbol, unknown>)[Symbol.for("gradlab.language")]).toBe("ru");
    expect(() => setLanguage("de")).toThrow(/unknown language "de"; expected one of en, ru/);
    expect(language()).toBe("ru");
  });

  it("read a notebook's language from its metadata", () => {
    expect(notebookLanguage({ language: "ru" })).toBe("ru");
    expect(notebookLanguage({ kernelspec: {} })).toBeUndefined();
    expect(notebookLanguage(undefined)).toBeUndefined();
  });
});
