/** @file `%%writefile [-a] path`: write (or append) the cell to a file, as IPython does, e.g. a module to import. */
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { MagicUsageError, type Magic } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

/**
 * The flags and file name of `%%writefile`'s argument line (the name may be quoted).
 *
 * @example
 * parseWritefileArgs('-a "my file.ts"') // { append: true, path: "my file.ts" }
 */
export function parseWritefileArgs(args: string): { append: boolean; path: string } {
  const words = args.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  let append = false;
  const names: string[] = [];
  for (const w of words) {
    if (w === "-a" || w === "--append") append = true;
    else if (w.startsWith("-")) throw new MagicUsageError(tr("unknown flag {flag}", { flag: w }));
    else names.push(w.replace(/^(["'])(.*)\1$/, "$2"));
  }
  if (names.length === 0) throw new MagicUsageError(tr("missing file name"));
  if (names.length > 1) throw new MagicUsageError(tr("expected one file name, got {n} (quote a name with spaces)", { n: names.length }));
  return { append, path: names[0]! };
}

const writefileMagic: Magic = {
  name: "writefile",
  kind: "cell",
  usage: "%%writefile [-a|--append] path",
  help:
    "Write the rest of the cell to `path` (relative to the notebook's directory), replacing it, or append with -a. " +
    "A TypeScript file written this way can be imported in the next cell: after %%writefile mod.ts, import from ./mod.",
  run(call, ctx) {
    const { append, path } = parseWritefileArgs(call.args);
    const full = resolve(ctx.cwd, path);
    const existed = existsSync(full);
    const body = call.body.endsWith("\n") ? call.body : `${call.body}\n`;
    try {
      if (append) appendFileSync(full, body);
      else writeFileSync(full, body);
    } catch (e) {
      throw Object.assign(new Error(tr("cannot write {path}: {reason}", { path, reason: (e as Error).message })), {
        name: "WritefileError",
      });
    }
    ctx.stdout(
      (append ? tr("Appending to {path}", { path }) : existed ? tr("Overwriting {path}", { path }) : tr("Writing {path}", { path })) + "\n",
    );
  },
};

export default writefileMagic;
