/**
 * @file `console.table` in the notebook's language: Node draws the table with English column
 * headers of its own ("(index)", "Values", ...); in a Russian notebook those headers are
 * translated and their columns widened to fit, the rows left as Node drew them.
 */
import { Console } from "node:console";
import { Writable } from "node:stream";
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
 * untouched). Node's table goes through a console of its own into a string, then to `console.log`.
 */
export function localizeConsoleTable(target: Console = console): void {
  const original = target.table.bind(target);
  target.table = (data: unknown, properties?: readonly string[]) => {
    if (language() === "en") return original(data, properties);
    let text = "";
    const sink = new Writable({
      write(chunk: Buffer | string, _enc, done) {
        text += String(chunk);
        done();
      },
    });
    new Console({ stdout: sink, stderr: sink, colorMode: false }).table(data, properties);
    target.log(localizeTable(text.replace(/\n$/, ""), headerLabels()));
  };
}
