/**
 * @file `gradlab translate [DIR ...] [--check]`: generate each `DIR/<lang>/<name>.ipynb` from the
 * English `DIR/<name>.ipynb` and `DIR/translations/<lang>/<name>.md` (see translation.ts);
 * `--check` writes nothing and fails when a generated notebook is missing or out of date, or an
 * English notebook has no translation. `--skeleton NOTEBOOK --lang ru` prints a translation file
 * to start from.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parseArgs } from "../args.js";
import { notebookJson, type Notebook } from "../notebook/notebook.js";
import { parseTranslation, skeletonFor, translateNotebook } from "./translation.js";

const USAGE = `usage: gradlab translate [DIR ...] [--check]
       gradlab translate --skeleton NOTEBOOK --lang LANG

Generates DIR/<lang>/<name>.ipynb from the English DIR/<name>.ipynb and its translation
DIR/translations/<lang>/<name>.md, for every language folder in DIR/translations (DIR defaults
to notebooks). --check writes nothing and exits 1 when a generated notebook is missing or out of
date or an English notebook has no translation. --skeleton prints a translation file to start
from: every markdown cell with its hash and English text.`;

/** One generated notebook: where it goes and its JSON text. */
export interface Generated {
  path: string;
  json: string;
}

const shown = (p: string) => relative(process.cwd(), p) || p;
const readNotebook = (p: string) => JSON.parse(readFileSync(p, "utf8")) as Notebook;

/**
 * Every translated notebook of `dir`, generated in memory, plus the problems found (English
 * notebooks without a translation, generated notebooks without a source).
 *
 * @example
 * const { generated, problems } = generateAll("notebooks");
 */
export function generateAll(dir: string): { generated: Generated[]; problems: string[] } {
  const generated: Generated[] = [];
  const problems: string[] = [];
  const root = join(dir, "translations");
  if (!existsSync(root)) return { generated, problems: [`translate: no translations folder ${shown(root)}`] };
  const english = readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  for (const lang of readdirSync(root).sort()) {
    const files = readdirSync(join(root, lang))
      .filter((f) => f.endsWith(".md"))
      .sort();
    for (const nb of english) {
      if (!files.includes(nb.replace(/\.ipynb$/, ".md")))
        problems.push(
          `translate: ${shown(join(dir, nb))} has no ${lang} translation (${shown(join(root, lang, nb.replace(/\.ipynb$/, ".md")))})`,
        );
    }
    for (const f of files) {
      const file = join(root, lang, f);
      const source = join(dir, f.replace(/\.md$/, ".ipynb"));
      if (!existsSync(source)) {
        problems.push(`translate: ${shown(file)} translates ${shown(source)}, which does not exist`);
        continue;
      }
      try {
        const t = parseTranslation(readFileSync(file, "utf8"), shown(file));
        if (t.lang !== lang) throw new Error(`translate: ${shown(file)}:1: says it is "${t.lang}" but sits in translations/${lang}/`);
        const out = translateNotebook(readNotebook(source), t, shown(file));
        generated.push({ path: join(dir, lang, basename(source)), json: notebookJson(out) });
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    const made = new Set(files.map((f) => f.replace(/\.md$/, ".ipynb")));
    const outDir = join(dir, lang);
    for (const f of existsSync(outDir) ? readdirSync(outDir).filter((g) => g.endsWith(".ipynb")) : []) {
      if (!made.has(f))
        problems.push(
          `translate: ${shown(join(outDir, f))} has no translation file; delete it or add ${shown(join(root, lang, f.replace(/\.ipynb$/, ".md")))}`,
        );
    }
  }
  return { generated, problems };
}

/**
 * `gradlab translate`; resolves to the exit code.
 *
 * @example
 * await main(["notebooks", "--check"]); // 0 when every translated notebook is up to date
 */
export async function main(argv: string[]): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs("translate", argv, { check: "boolean", skeleton: "string", lang: "string", help: "boolean" });
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { paths, flags } = args;
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  if (flags.skeleton !== undefined) {
    if (flags.lang === undefined) {
      console.error(`translate: --skeleton needs --lang (e.g. --lang ru)\n\n${USAGE}`);
      return 2;
    }
    process.stdout.write(skeletonFor(readNotebook(String(flags.skeleton)), String(flags.lang)));
    return 0;
  }
  let failed = false;
  for (const dir of paths.length ? paths : ["notebooks"]) {
    const { generated, problems } = generateAll(dir);
    for (const g of generated) {
      const current = existsSync(g.path) ? readFileSync(g.path, "utf8") : undefined;
      if (current === g.json) continue;
      if (flags.check) {
        problems.push(`translate: ${shown(g.path)} is ${current === undefined ? "missing" : "out of date"}; run npm run translate`);
      } else {
        mkdirSync(join(g.path, ".."), { recursive: true });
        writeFileSync(g.path, g.json);
        console.log(`wrote ${shown(g.path)}`);
      }
    }
    for (const p of problems) console.error(p);
    failed ||= problems.length > 0;
    if (!problems.length)
      console.log(`${shown(dir)}: ${generated.length} translated notebooks ${flags.check ? "up to date" : "generated"}`);
  }
  return failed ? 1 : 0;
}
