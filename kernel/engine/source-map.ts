/** @file Source map lookup for runtime errors: from a position in a cell's JavaScript to its cell line. */

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * The zero-based cell line that generated position (`line`, `column`, zero-based) of a cell's
 * output came from, read from the source map `mappings` (base64 VLQ, as TypeScript writes it);
 * undefined when that line has no mapping. Cells are compiled after a one-line prefix, which
 * this takes off.
 *
 * @example
 * sourceLine(converted.mappings!, 2, 4) // 1: the error on output line 3 is on cell line 2
 */
export function sourceLine(mappings: string, line: number, column: number): number | undefined {
  let srcLine = 0;
  let found: number | undefined;
  const lines = mappings.split(";");
  for (let l = 0; l < lines.length && l <= line; l++) {
    let genCol = 0;
    for (const seg of lines[l]!.split(",")) {
      if (!seg) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += fields[0] ?? 0;
      if (fields.length < 4) continue;
      srcLine += fields[2]!;
      // On the wanted line: the last mapping at or before the column (or the line's first one).
      if (l === line && (found === undefined || genCol <= column)) found = srcLine;
    }
  }
  return found === undefined || found < 1 ? undefined : found - 1;
}
