/**
 * @file What a blank answer throws: the sentinel `gradlab assign` writes in place of a solution
 * (in the notebook's language), which the checks report as "not answered yet". Kept apart from
 * checks.ts so that the CLI reads it without loading the checker.
 */

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
