/**
 * @file `console.table` in the notebook's language: Node draws the table with English column
 * headers of its own ("(index)", "Values", ...); in a Russian notebook those headers are
 * translated and their columns widened to fit, the rows left as Node drew them.
 */
import { language, tr } from "../../src/i18n/index.js";

/** Node's own header labels, each translated by {@link headerLabels}. */
function headerLabels(): Record<string, string> {
  return {
    "(index)": tr("(index)"),
    "(iteration index)": tr("(iteration index)"),
    Key: tr("Key"),
    Values: tr("Values"),
  };
}

/**
 * A table Node drew (box-drawing lines: top border, header, separator, rows, bottom border) with
 * the header cells named in `labels` replaced, each column widened to fit its new header.
 * @example localizeTable(table, { Values: "Значения" })
 */
export function localizeTable(text: string, labels: Readonly<Record<string, string>>): string {
  const lines = text.split("\n");
  const top = lines.findIndex((l) => l.startsWith("┌"));
  if (top < 0 || top + 1 >= lines.length) return text;
  const header = lines[top + 1];
  // column k spans (bounds[k], bounds[k + 1]): the positions of the top border's corners and joints
  const bounds = [...lines[top]].flatMap((ch, i) => (ch === "┌" || ch === "┬" || ch === "┐" ? [i] : []));
  for (let k = bounds.length - 2; k >= 0; k--) {
    const [from, to] = [bounds[k], bounds[k + 1]];
    const cell = header.slice(from + 1, to).trim();
    const label = labels[cell];
    if (label === undefined || label === cell) continue;
    const width = to - from - 1;
    const grow = Math.max(0, label.length + 2 - width);
    for (let i = top; i < lines.length; i++) {
      const l = lines[i];
      if (l.length < to) continue;
      const fill = /^[┌├└]/.test(l) ? "─" : " ";
      if (i === top + 1) {
        const inner = ` ${label}`.padEnd(width + grow);
        lines[i] = l.slice(0, from + 1) + inner + l.slice(to);
      } else {
        lines[i] = l.slice(0, to) + fill.repeat(grow) + l.slice(to);
      }
    }
  }
  return lines.join("\n");
}

/**
 * Make `console.table` write its headers in the current language (English: Node's own output,
 * untouched). Node's `table` draws the table and hands it to the same console's `log`: that `log`
 * is caught for the call, and the table, translated, goes to the real one. (No second `Console` is
 * made: an executor started from a V8 startup snapshot has no `Console` constructor.)
 */
export function localizeConsoleTable(target: Console = console): void {
  const original = target.table.bind(target);
  target.table = (data: unknown, properties?: readonly string[]) => {
    if (language() === "en") return original(data, properties);
    const log = target.log;
    let logged: unknown[] | undefined;
    target.log = (...args: unknown[]) => void (logged = args);
    try {
      original(data, properties);
    } finally {
      target.log = log;
    }
    if (logged === undefined) return;
    // Data that is not tabular is logged as it is.
    if (logged.length === 1 && typeof logged[0] === "string") target.log(localizeTable(logged[0], headerLabels()));
    else target.log(...logged);
  };
}
