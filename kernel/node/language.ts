/**
 * @file The language the kernel starts in: the notebook's own (its `metadata.language`), found
 * the way the front end tells a kernel which notebook it serves.
 *
 * In order, the first that gives an answer:
 * 1. `GRADLAB_LANGUAGE` (`gradlab run` sets it from the notebook it runs; a user may set it too);
 * 2. `JPY_SESSION_NAME`, the notebook's path, which Jupyter Server 2 and VS Code give the kernels
 *    they start (absolute, or relative to the working directory or the server's root): that
 *    notebook's metadata, English when it names no language;
 * 3. without either (the classic Notebook 6 server passes neither, only the notebook's folder as
 *    the working directory): the language every notebook in the working directory names, when
 *    they all name the same one (`notebooks/ru/` is Russian, `notebooks/` English); notebooks that
 *    cannot be read, or are too large to read at start, do not count.
 * Otherwise English. `%language` and `setLanguage` change it later.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, isAbsolute, join, resolve } from "node:path";
import { notebookLanguage, setLanguage, type Language } from "../../src/i18n/index.js";

/** The start-up language and where it came from (the environment variable, the notebook or the folder). */
export interface StartLanguage {
  language: Language;
  from: string;
}

/** Notebooks larger than this are not read for their language (a kernel starts without waiting on them). */
const MAX_NOTEBOOK_BYTES = 20 * 2 ** 20;
/** At most this many notebooks of the working directory are read. */
const MAX_NOTEBOOKS = 50;

/** A notebook's metadata; null when the file cannot be read or is too large to read at start. */
function metadataOf(file: string, maxBytes = MAX_NOTEBOOK_BYTES): unknown {
  try {
    if (statSync(file).size > maxBytes) return null;
    return (JSON.parse(readFileSync(file, "utf8")) as { metadata?: unknown }).metadata;
  } catch {
    return null;
  }
}

/** The file JPY_SESSION_NAME names, if it exists: as given, under `cwd`, or its name in `cwd`. */
function sessionNotebook(name: string, cwd: string): string | undefined {
  const candidates = isAbsolute(name) ? [name, join(cwd, basename(name))] : [resolve(cwd, name), join(cwd, basename(name))];
  return candidates.find((p) => p.endsWith(".ipynb") && existsSync(p) && statSync(p).isFile());
}

/**
 * Decide the start-up language from the environment and the working directory (rules above);
 * does not set it.
 * @example startLanguage({ JPY_SESSION_NAME: "/home/s/notebooks/ru/04-backprop.ipynb" }, "/home/s/notebooks/ru")
 * // { language: "ru", from: "/home/s/notebooks/ru/04-backprop.ipynb" }
 */
export function startLanguage(env: NodeJS.ProcessEnv, cwd: string): StartLanguage {
  const given = env.GRADLAB_LANGUAGE?.trim();
  if (given) {
    const language = notebookLanguage({ language: given });
    if (language) return { language, from: "GRADLAB_LANGUAGE" };
  }
  const session = env.JPY_SESSION_NAME ? sessionNotebook(env.JPY_SESSION_NAME, cwd) : undefined;
  if (session) return { language: notebookLanguage(metadataOf(session, Infinity)) ?? "en", from: session };
  let names: string[] = [];
  try {
    names = readdirSync(cwd)
      .filter((f) => f.endsWith(".ipynb"))
      .slice(0, MAX_NOTEBOOKS);
  } catch {
    // An unreadable working directory says nothing about the language.
  }
  const read = names.map((f) => metadataOf(join(cwd, f))).filter((m) => m !== null);
  const found = new Set(read.map((m) => notebookLanguage(m) ?? "en"));
  if (found.size === 1) return { language: [...found][0], from: `the notebooks in ${cwd}` };
  return { language: "en", from: "the default" };
}

/**
 * Set the language the kernel starts in; returns what was chosen. An unknown GRADLAB_LANGUAGE is
 * reported through `log` and ignored.
 * @example applyStartLanguage(process.env, process.cwd(), console.error)
 */
export function applyStartLanguage(env: NodeJS.ProcessEnv, cwd: string, log: (line: string) => void): StartLanguage {
  const given = env.GRADLAB_LANGUAGE?.trim();
  if (given && !notebookLanguage({ language: given }))
    log(`gradlab: GRADLAB_LANGUAGE="${given}" is not a language gradlab speaks (en, ru); ignored`);
  const chosen = startLanguage(env, cwd);
  setLanguage(chosen.language);
  return chosen;
}
