/** @file The Russian catalog: every area's entries joined into one table (English text -> Russian). */
import { CHECK } from "./ru/check.js";
import { CLI } from "./ru/cli.js";
import { DISPLAY } from "./ru/display.js";
import { GRAPH } from "./ru/graph.js";
import { HOMEWORK } from "./ru/homework.js";
import { MAGICS } from "./ru/magics.js";
import { NOTEBOOKS } from "./ru/notebooks.js";
import { WIDGETS } from "./ru/widgets.js";

/** English source text (or `one|other` for plurals) -> Russian. */
export const RU: Readonly<Record<string, string>> = {
  ...GRAPH,
  ...MAGICS,
  ...CHECK,
  ...DISPLAY,
  ...HOMEWORK,
  ...NOTEBOOKS,
  ...CLI,
  ...WIDGETS,
};
