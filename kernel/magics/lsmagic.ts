/** @file `%lsmagic`: list every registered magic. */
import { MagicUsageError, type Magic } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

const lsmagicMagic: Magic = {
  name: "lsmagic",
  kind: "line",
  usage: "%lsmagic",
  help: "List the available line magics (%name) and cell magics (%%name). `%name?` shows one magic's help.",
  run(call, ctx) {
    if (call.args) throw new MagicUsageError(tr('takes no arguments, got "{args}"', { args: call.args }));
    const line = ctx.registry
      .spellings("line")
      .map((n) => `%${n}`)
      .join("  ");
    const cell = ctx.registry
      .spellings("cell")
      .map((n) => `%%${n}`)
      .join("  ");
    ctx.stdout(
      `${tr("Available line magics:")}\n${line}\n\n${tr("Available cell magics:")}\n${cell}\n\n${tr("Append ? for help, e.g. %timeit?")}\n`,
    );
  },
};

export default lsmagicMagic;
