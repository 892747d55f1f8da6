/**
 * @file `%npm install pkg...`: install npm packages for this notebook (into `node_modules`
 * of the notebook's directory), importable from the next cell.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runShell } from "./sh.js";
import { MagicUsageError, type Magic } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

/** A registry name with an optional version/tag, or a local directory / file: spec. */
const PACKAGE = /^((@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*(@[\w.^~<>=*|-]+)?|\.{0,2}\/\S+|file:\S+)$/i;

const npmMagic: Magic = {
  name: "npm",
  kind: "line",
  usage: "%npm install <package>[@version] | <path> ...",
  help:
    "Install npm packages for this notebook into node_modules/ of the notebook's directory (a package.json is " +
    "created there if missing), so the next cell can `import` them, with types when the package ships them.",
  async run(call, ctx) {
    const [sub, ...pkgs] = call.args.split(/\s+/).filter(Boolean);
    if (sub !== "install" && sub !== "i")
      throw new MagicUsageError(sub ? tr('unknown subcommand "{sub}"', { sub }) : tr("missing subcommand"));
    if (pkgs.length === 0) throw new MagicUsageError(tr("missing package name"));
    const bad = pkgs.find((p) => !PACKAGE.test(p));
    if (bad) throw new MagicUsageError(tr('not a package name: "{name}"', { name: bad }));
    // A package.json keeps npm from installing into a parent directory's project.
    const manifest = join(ctx.cwd, "package.json");
    if (!existsSync(manifest))
      writeFileSync(
        manifest,
        JSON.stringify({ private: true, description: "packages installed by %npm in gradlab notebooks" }, null, 2) + "\n",
      );
    await runShell(`npm install ${pkgs.join(" ")}`, ctx, ["install", "--no-audit", "--no-fund", "--loglevel=error", ...pkgs], "npm");
    ctx.stdout(tr("installed {packages} into {dir}", { packages: pkgs.join(", "), dir: join(ctx.cwd, "node_modules") }) + "\n");
  },
};

export default npmMagic;
