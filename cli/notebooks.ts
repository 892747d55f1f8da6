/**
 * @file `gradlab notebooks DIR [--lang ru|en] [--force]`: copy the seminar notebooks and homework
 * templates shipped in the npm package into a student's folder.
 *
 * The package carries `notebooks/*.ipynb` (English), `notebooks/ru/*.ipynb` (Russian, generated
 * by `gradlab translate`) and the homework templates in `notebooks/homework/`. Seminar notebooks
 * land at the top of DIR and homework in `DIR/homework/`. Nothing is copied when any target
 * already exists, unless `--force`.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "./args.js";
import { PACKAGE_ROOT } from "./paths.js";

/** Languages the package ships; the first is the default. */
export const LANGUAGES = ["en", "ru"] as const;
export type Lang = (typeof LANGUAGES)[number];

const USAGE = `usage: gradlab notebooks DIR [--lang ru|en] [--force]

Copies the autodiff seminar notebooks (at the top of DIR) and the homework templates (in
DIR/homework/) shipped with gradlab, in English (default) or Russian. Refuses to overwrite an
existing file unless --force.`;

/** One file to copy: where from, where to (relative to DIR). */
export interface CopyItem {
  from: string;
  to: string;
}

/** The `.ipynb` files directly in `dir`, sorted ([] when the folder does not exist). */
function notebooksIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort()
    .map((f) => join(dir, f));
}

/** A language's folder under `base`: `base` itself for English, `base/<lang>` otherwise. */
const langDir = (base: string, lang: Lang) => (lang === "en" ? base : join(base, lang));

/**
 * What `gradlab notebooks` copies for `lang`: the seminar notebooks, then the homework templates
 * (in `lang` where translated, else the English ones, reported in `untranslated`).
 *
 * @example
 * plan("ru").items[0]; // { from: ".../notebooks/ru/00-start-here.ipynb", to: "00-start-here.ipynb" }
 */
export function plan(lang: Lang, root = join(PACKAGE_ROOT, "notebooks")): { items: CopyItem[]; untranslated: string[] } {
  const seminar = notebooksIn(langDir(root, lang));
  if (seminar.length === 0)
    throw new Error(`gradlab notebooks: no ${lang} seminar notebooks in ${langDir(root, lang)} (is this package built and complete?)`);
  const items: CopyItem[] = seminar.map((from) => ({ from, to: relative(langDir(root, lang), from) }));
  const homeworkEn = notebooksIn(join(root, "homework"));
  const untranslated: string[] = [];
  for (const en of homeworkEn) {
    const name = relative(join(root, "homework"), en);
    const translated = join(langDir(join(root, "homework"), lang), name);
    const from = existsSync(translated) ? translated : en;
    if (from !== translated) untranslated.push(name);
    items.push({ from, to: join("homework", name) });
  }
  return { items, untranslated };
}

/**
 * Copy `items` into `dir`; throws naming the files that exist (copying nothing) unless `force`.
 *
 * @example
 * copyInto("/tmp/nb", plan("en").items, false); // ["00-start-here.ipynb", ...]
 */
export function copyInto(dir: string, items: CopyItem[], force: boolean): string[] {
  const existing = items.map((i) => join(dir, i.to)).filter((p) => existsSync(p));
  if (existing.length > 0 && !force) {
    const list = existing.slice(0, 5).join(", ") + (existing.length > 5 ? ` and ${existing.length - 5} more` : "");
    throw new Error(
      `gradlab notebooks: ${list} already exist${existing.length === 1 ? "s" : ""}; nothing was copied. Pass --force to overwrite, or choose another folder.`,
    );
  }
  for (const item of items) {
    const target = join(dir, item.to);
    mkdirSync(resolve(target, ".."), { recursive: true });
    copyFileSync(item.from, target);
  }
  return items.map((i) => i.to);
}

/**
 * `gradlab notebooks DIR [--lang ru|en] [--force]`; resolves to the exit code.
 *
 * @example
 * await main(["my-notebooks", "--lang", "ru"]); // 0, and my-notebooks/00-start-here.ipynb ...
 */
export async function main(argv: string[]): Promise<number> {
  try {
    const { paths, flags } = parseArgs("gradlab notebooks", argv, { lang: "string", force: "boolean", help: "boolean" });
    if (flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (paths.length !== 1)
      throw new Error(
        `gradlab notebooks: expected one folder to copy into, got ${paths.length === 0 ? "none" : paths.join(" ")}\n\n${USAGE}`,
      );
    const lang = String(flags.lang ?? "en");
    if (!(LANGUAGES as readonly string[]).includes(lang))
      throw new Error(`gradlab notebooks: --lang expects one of ${LANGUAGES.join(", ")}, got "${lang}"`);
    const dir = resolve(paths[0]);
    const { items, untranslated } = plan(lang as Lang);
    const copied = copyInto(dir, items, Boolean(flags.force));
    const seminar = copied.filter((c) => !c.startsWith("homework")).length;
    console.log(`Copied ${seminar} seminar notebooks and ${copied.length - seminar} homework templates (${lang}) into ${dir}`);
    if (untranslated.length)
      console.log(`Not translated to ${lang} yet, copied in English: ${untranslated.map((u) => `homework/${u}`).join(", ")}`);
    console.log(`Open them with: jupyter notebook ${paths[0]}   (kernel "TypeScript (gradlab)": gradlab install --user)`);
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
}
