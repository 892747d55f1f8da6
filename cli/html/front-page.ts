/**
 * @file The course's front page that `gradlab run --html` writes (index.html): each notebook's
 * title, the seminar items it covers, its executed page in each language and, with a site, a link
 * that runs it in the browser; and the instructors' page (instructors.html) with the executed
 * homework sources, which hold the solutions and so are never on the front page.
 */
import { basename } from "node:path";
import { cellSource, type Notebook } from "../notebook/notebook.js";
import { roleOf } from "../homework/format.js";
import { escapeHtml } from "../../src/display/escape.js";
import { notebookLanguage } from "../../src/i18n/index.js";
import { renderPageHtml } from "./page.js";

/** One executed notebook as the front page lists it. */
export interface CourseEntry {
  /** The notebook's path relative to the folders run (`ru/04-backprop.ipynb`). */
  rel: string;
  /** Its executed page, relative to the output folder. */
  href: string;
  /** Whether it ran without an error. */
  ok: boolean;
  /** The notebook's first heading (its file name when it has none). */
  title: string;
  /** Its language (`en` unless its metadata says otherwise). */
  lang: string;
  /** The seminar items it covers (`metadata.gradlab.items`). */
  items: number[];
  /** A homework source: it holds the solutions (answer, grader or source-only cells). */
  solutions: boolean;
}

/** Reads what the front page shows of a notebook. */
export function courseEntry(nb: Notebook, rel: string, href: string, ok: boolean): CourseEntry {
  const heading = nb.cells
    .filter((c) => c.cell_type === "markdown")
    .flatMap((c) => cellSource(c).split("\n"))
    .find((l) => /^#\s/.test(l));
  const items = (nb.metadata as { gradlab?: { items?: unknown } }).gradlab?.items;
  return {
    rel,
    href,
    ok,
    title: heading ? heading.replace(/^#\s+/, "").trim() : basename(rel, ".ipynb"),
    lang: notebookLanguage(nb.metadata) ?? "en",
    items: Array.isArray(items) ? items.filter((i): i is number => Number.isInteger(i)) : [],
    solutions: nb.cells.some((c) => ["answer", "grader", "source-only"].includes(roleOf(c))),
  };
}

/**
 * Where a notebook is on the site (`npm run site`): the seminar notebooks as they are in the
 * folders run, and for a homework source its student copy, which `gradlab assign` writes one
 * folder up (`homework/source/ru/03-graph.ipynb` -> `homework/ru/03-graph.ipynb`).
 */
export function sitePath(rel: string): string {
  return rel.replace(/(^|\/)source\//, "$1");
}

/** `[4, 5, 6]` -> "4–6", `[9, 10]` -> "9, 10", `[1]` -> "1". */
export function itemRange(items: number[]): string {
  const s = [...items].sort((a, b) => a - b);
  if (s.length > 2 && s.every((v, i) => i === 0 || v === s[i - 1]! + 1)) return `${s[0]}–${s[s.length - 1]}`;
  return s.join(", ");
}

/** The same notebook in other languages: `ru/04.ipynb` and `04.ipynb` share `04.ipynb`. */
function keyOf(e: CourseEntry): string {
  return e.lang === "en" ? e.rel : e.rel.replace(new RegExp(`(^|/)${e.lang}/`), "$1");
}

const WORDS = {
  en: { read: "read", run: "run in your browser", failed: "failed" },
  ru: { read: "читать", run: "запустить в браузере", failed: "с ошибкой" },
} as const;
const LANGUAGE_NAMES: Record<string, string> = { en: "English", ru: "Русский" };

/**
 * The front page: a row per notebook (its translations on the same row), seminar notebooks first,
 * then the homework (run in the browser as the student copy; the executed sources are on the
 * instructors' page). `site`: the JupyterLite site's URL (relative to the page or absolute).
 */
export function renderFrontPage(entries: CourseEntry[], opts: { site?: string } = {}): string {
  const langs = [...new Set(["en", ...entries.map((e) => e.lang)])].filter((l) => l in LANGUAGE_NAMES);
  const groups = new Map<string, CourseEntry[]>();
  for (const e of entries) groups.set(keyOf(e), [...(groups.get(keyOf(e)) ?? []), e]);
  const siteHref = (e: CourseEntry) => `${opts.site!.replace(/\/?$/, "/")}lab/index.html?path=${encodeURI(sitePath(e.rel))}`;
  const cell = (e: CourseEntry | undefined) => {
    if (!e) return "<td></td>";
    const w = WORDS[e.lang as keyof typeof WORDS] ?? WORDS.en;
    const links = [
      ...(e.solutions ? [] : [`<a href="${escapeHtml(e.href)}" hreflang="${e.lang}">${w.read}</a>`]),
      ...(opts.site ? [`<a href="${escapeHtml(siteHref(e))}" hreflang="${e.lang}">${w.run}</a>`] : []),
    ];
    const failed = e.ok ? "" : ` <strong class="failed">(${w.failed})</strong>`;
    return `<td lang="${e.lang}">${links.join(" · ")}${failed}</td>`;
  };
  const row = (versions: CourseEntry[]) => {
    const titles = langs
      .map((l) => versions.find((v) => v.lang === l))
      .filter((v): v is CourseEntry => v !== undefined)
      .map((v, i) => (i === 0 ? `<strong>${escapeHtml(v.title)}</strong>` : `<br><span lang="${v.lang}">${escapeHtml(v.title)}</span>`));
    const items = itemRange(versions.find((v) => v.items.length > 0)?.items ?? []);
    return `<tr><td>${titles.join("")}</td><td>${escapeHtml(items)}</td>${langs.map((l) => cell(versions.find((v) => v.lang === l))).join("")}</tr>`;
  };
  const all = [...groups.values()];
  const seminar = all.filter((g) => !g.some((e) => e.solutions));
  const homework = all.filter((g) => g.some((e) => e.solutions));
  const head = `<tr><th>notebook · ноутбук</th><th>seminar items · пункты семинара</th>${langs.map((l) => `<th>${LANGUAGE_NAMES[l]}</th>`).join("")}</tr>`;
  const table = (groups: CourseEntry[][]) => `<table class="course">\n${head}\n${groups.map(row).join("\n")}\n</table>`;
  const intro = opts.site
    ? `<p>Read a notebook as it ran, or run it in your browser: nothing to install. · Читайте ноутбук с результатами или запустите его в браузере: ничего устанавливать не нужно.</p>`
    : `<p>Each notebook as it ran. · Каждый ноутбук с результатами.</p>`;
  const body = [
    intro,
    table(seminar),
    ...(homework.length > 0
      ? [
          `<h2>Homework · Домашние задания</h2>`,
          opts.site ? `<p>The assignments as students get them. · Задания в том виде, в каком их получают студенты.</p>` : "",
          table(homework),
          `<p><a href="instructors.html">For instructors: the homework with its solutions, as it ran · Для преподавателей: задания с решениями</a></p>`,
        ]
      : []),
  ];
  return renderPageHtml("Automatic differentiation · Автоматическое дифференцирование", body.filter((s) => s !== "").join("\n"));
}

/** The instructors' page: the executed homework sources (with their solutions), by language. */
export function renderInstructorsPage(entries: CourseEntry[]): string {
  const rows = entries
    .filter((e) => e.solutions)
    .map((e) => {
      const failed = e.ok ? "" : ` <strong class="failed">(failed)</strong>`;
      return `<li lang="${e.lang}"><a href="${escapeHtml(e.href)}">${escapeHtml(e.title)}</a> (${LANGUAGE_NAMES[e.lang] ?? e.lang})${failed}</li>`;
    });
  return renderPageHtml(
    "Homework with solutions · Задания с решениями",
    `<p>Not for students: these pages show the solutions. · Не для студентов: здесь видны решения.</p>\n<ul>\n${rows.join("\n")}\n</ul>\n<p><a href="index.html">The course's front page · Главная страница курса</a></p>`,
  );
}
