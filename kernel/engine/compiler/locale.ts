/**
 * @file TypeScript's own error messages in the notebook's language: TypeScript ships its
 * diagnostics translated (`lib/<lang>/diagnosticMessages.generated.json` beside the compiler);
 * before each compilation the compiler's messages are switched to the current language when it
 * changed (English: TypeScript's built-in texts). Diagnostics made earlier keep their language.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { language, type Language } from "../../../src/i18n/index.js";
import { loadTypeScript } from "./ts-loader.js";

let current: Language = "en";
const messages = new Map<Language, unknown>();

/**
 * Make the compiler write its diagnostics in `language()` (a no-op while it does already). A
 * compiler without a translation for the language keeps English.
 * @example setLanguage("ru"); syncDiagnosticsLanguage(); // "Не удается найти имя \"x\"."
 */
export function syncDiagnosticsLanguage(): void {
  const lang = language();
  if (lang === current) return;
  current = lang;
  const ts = loadTypeScript().ts as unknown as { setLocalizedDiagnosticMessages?: (m: unknown) => void };
  if (typeof ts.setLocalizedDiagnosticMessages !== "function") return;
  if (lang === "en") return ts.setLocalizedDiagnosticMessages(undefined);
  if (!messages.has(lang)) {
    const lib = dirname(createRequire(import.meta.url).resolve("@tslab/typescript-for-tslab"));
    try {
      messages.set(lang, JSON.parse(readFileSync(join(lib, lang, "diagnosticMessages.generated.json"), "utf8")));
    } catch {
      messages.set(lang, undefined);
    }
  }
  ts.setLocalizedDiagnosticMessages(messages.get(lang));
}
