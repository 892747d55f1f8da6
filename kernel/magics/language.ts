/** @file `%language [en|ru]`: the language of the magics' and the library's outputs for the rest of the session. */
import { language, LANGUAGES, setLanguage, tr } from "../../src/i18n/index.js";
import { MagicUsageError, type Magic } from "./registry.js";

/**
 * Sets the language that `setLanguage` sets (the setting user code and the magics share); the
 * kernel starts in the notebook's language (its metadata.language).
 * @example %language ru
 */
const languageMagic: Magic = {
  name: "language",
  kind: "line",
  usage: "%language [en|ru]",
  help:
    "Write the magics' and the library's outputs (tables, verdicts, plot titles, errors) in English (en) " +
    "or Russian (ru) for the rest of the session. The kernel starts in the notebook's language " +
    '(its metadata.language, which the Russian notebooks carry). %language alone shows the current one. The same as setLanguage("ru").',
  run(call, ctx) {
    const arg = call.args.trim();
    if (arg !== "") {
      if (/\s/.test(arg) || !(LANGUAGES as readonly string[]).includes(arg.toLowerCase())) {
        throw new MagicUsageError(tr('unknown language "{arg}"; expected one of {languages}', { arg, languages: LANGUAGES.join(", ") }));
      }
      setLanguage(arg);
    }
    ctx.stdout(tr("language: {code} (English)", { code: language() }) + "\n");
  },
};

export default languageMagic;
