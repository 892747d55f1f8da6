/** @file `%%html`, `%%markdown`, `%%latex`, `%%svg`: render the cell body as that MIME type. */
import { MagicUsageError, type Magic } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

/** A cell magic that displays its body as `mime`. */
function renderMagic(name: string, mime: string, what: string): Magic {
  return {
    name,
    kind: "cell",
    usage: `%%${name}`,
    help: `Render the rest of the cell as ${what} (${mime}).`,
    run(call, ctx) {
      if (call.args) throw new MagicUsageError(tr('takes no arguments, got "{args}"', { args: call.args }));
      ctx.displayBundle({ [mime]: call.body, "text/plain": call.body });
    },
  };
}

export default [
  renderMagic("html", "text/html", "HTML"),
  renderMagic("markdown", "text/markdown", "Markdown"),
  renderMagic("latex", "text/latex", "LaTeX"),
  renderMagic("svg", "image/svg+xml", "an SVG image"),
];
