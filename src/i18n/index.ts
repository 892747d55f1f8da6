/**
 * @file The language of everything a student reads (gettext's model): English is the source text
 * and the lookup key, `tr("...")` returns the current language's translation of it. Each area of
 * the code keeps its Russian catalog in `ru/<area>.ts`; `catalog.ts` joins them.
 *
 * Rules the code relies on:
 * - `tr` and `trn` take string literals (the translation test reads them from the sources), and
 *   every literal has an entry in the Russian catalog.
 * - `{name}` in a text is replaced by `params.name`; translations keep the same placeholders.
 * - The current language lives on `globalThis` under a registered symbol, so every copy of the
 *   library loaded in one process (the kernel's and the notebook's) reads the same setting.
 */
import { GradlabError } from "../tensor/errors.js";
import { RU } from "./catalog.js";

/** The languages gradlab speaks. */
export const LANGUAGES = ["en", "ru"] as const;
/** A language code, as in a notebook's `metadata.language`. */
export type Language = (typeof LANGUAGES)[number];

const KEY = Symbol.for("gradlab.language");

/**
 * The language outputs are written in (default `"en"`).
 * @example language() // "en"
 */
export function language(): Language {
  return (globalThis as { [KEY]?: Language })[KEY] ?? "en";
}

/**
 * Choose the language of the library's and the magics' outputs: `"en"` or `"ru"`. The kernel sets
 * it from the notebook's metadata when it starts; call it to switch by hand.
 * @example setLanguage("ru"); tr("passed") // "пройдено"
 */
export function setLanguage(lang: string): Language {
  const code = lang.trim().toLowerCase().split(/[-_]/)[0];
  if (!(LANGUAGES as readonly string[]).includes(code)) {
    throw new GradlabError(`setLanguage: unknown language "${lang}"; expected one of ${LANGUAGES.join(", ")}`);
  }
  (globalThis as { [KEY]?: Language })[KEY] = code as Language;
  return code as Language;
}

/**
 * The language a notebook's metadata names: `metadata.language` (a gradlab convention, written by
 * `gradlab translate`), else `metadata.gradlab.lang` (what translate wrote before), else `undefined`.
 * @example notebookLanguage({ language: "ru" }) // "ru"
 */
export function notebookLanguage(metadata: unknown): Language | undefined {
  const m = metadata as { language?: unknown; gradlab?: { lang?: unknown } } | undefined;
  const lang = m?.language ?? m?.gradlab?.lang;
  if (typeof lang !== "string") return undefined;
  const code = lang.trim().toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(code) ? (code as Language) : undefined;
}

function fill(text: string, params: Readonly<Record<string, string | number>> | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Translate an English text into the current language and fill its `{placeholders}`. A text with
 * no entry in the catalog comes back in English (the translation test keeps that from shipping).
 * @example tr("{k} of {n} entries disagree", { k: 1, n: 8 }) // "1 of 8 entries disagree"
 */
export function tr(english: string, params?: Readonly<Record<string, string | number>>): string {
  const lang = language();
  const text = lang === "ru" ? (RU[english] ?? english) : english;
  return fill(text, params);
}

/**
 * A text with a number in it: `one` for n = 1 and `other` otherwise in English; the Russian
 * catalog holds the three forms under the key `one|other`, separated by `|` (1 запись, 2 записи,
 * 5 записей). `{n}` is filled with n.
 * @example trn("{n} entry", "{n} entries", 3) // "3 entries"
 */
export function trn(one: string, other: string, n: number, params?: Readonly<Record<string, string | number>>): string {
  const all = { n, ...params };
  if (language() === "ru") {
    const forms = RU[`${one}|${other}`]?.split("|");
    if (forms && forms.length === 3) return fill(forms[russianForm(n)], all);
  }
  return fill(Math.abs(n) === 1 ? one : other, all);
}

/** Index of the Russian plural form of n: 0 (1, 21, ...), 1 (2-4, 22-24, ...), 2 (the rest). */
function russianForm(n: number): number {
  if (!Number.isInteger(n)) return 1;
  const a = Math.abs(n) % 100;
  const b = a % 10;
  if (a >= 11 && a <= 14) return 2;
  if (b === 1) return 0;
  if (b >= 2 && b <= 4) return 1;
  return 2;
}
