/**
 * @file What the checker and `gradlab assign`/`gradlab check` agree on: the sentinel a blank
 * answer throws (which the checks report as "not answered yet") and the MIME type of a table
 * check's score payload. Kept apart from checks.ts so that the CLI reads them without loading
 * the checker.
 */

/** The MIME type of a table check's score payload `{ exercise, right, total }` (read by `gradlab check`). */
export const ENTRIES_MIME = "application/vnd.gradlab.entries+json";

/** The sentinel message per language; any of them marks an answer as not given yet. */
export const NOT_ANSWERED_MESSAGES: Readonly<Record<string, string>> = {
  en: "not answered yet",
  ru: "ответа ещё нет",
};

/**
 * The stub line `gradlab assign` writes for a solution region (compiles, and fails clearly when run).
 *
 * @example
 * stubLine("ru"); // 'throw new Error("ответа ещё нет");'
 */
export function stubLine(lang = "en"): string {
  return `throw new Error(${JSON.stringify(NOT_ANSWERED_MESSAGES[lang] ?? NOT_ANSWERED_MESSAGES.en)});`;
}

/**
 * Whether `e` is the blank template's own sentinel (`throw new Error("not answered yet")`, or
 * `homework.notAnswered()`), as opposed to an error the student's code raised.
 *
 * @example
 * isNotAnswered(new Error("not answered yet")); // true
 * isNotAnswered(new TypeError("x is undefined")); // false
 */
export function isNotAnswered(e: unknown): boolean {
  if (!(e instanceof Error) || e.name !== "Error") return false;
  return Object.values(NOT_ANSWERED_MESSAGES).some((s) => e.message === s || e.message.startsWith(`${s}:`));
}
