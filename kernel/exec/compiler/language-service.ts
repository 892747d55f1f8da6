/**
 * @file Completion and inspection (`complete_request`, `inspect_request`) of gradlab's cell
 * compiler, answered from a full build of the previous declarations and the cell as typed so far.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import { build } from "./full-build.js";
import { internals, NO_CANCEL, PREFIX, type CompilerState } from "./state.js";
import type { Completion } from "./types.js";

/**
 * Completions at `cursor`: the identifier under the cursor (if any) is what the candidates
 * replace, best matches first.
 */
export function complete(s: CompilerState, prevDecl: string, code: string, cursor: number): Completion {
  const { ts } = s;
  const { program: p, srcFile } = build(s, prevDecl, code);
  const pos = cursor + PREFIX.length;
  const { Completions, findPrecedingToken, findNextToken } = internals(ts);
  const info = Completions.getCompletionsAtPositionForTslab({}, p, () => undefined, srcFile, pos, {}, undefined, ts.CompletionTriggerKind.Invoked, NO_CANCEL);
  const entries = info?.entries ?? [];
  const prev = findPrecedingToken(pos, srcFile);
  const next = prev && !(ts.isIdentifier(prev) && prev.end >= pos) ? findNextToken(prev, srcFile, srcFile) : undefined;
  const id = prev && ts.isIdentifier(prev) && prev.end >= pos ? prev : next && ts.isIdentifier(next) && next.getStart(srcFile) <= pos && pos <= next.end ? next : undefined;
  if (!id) {
    const sorted = entries.slice().sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
    return { start: cursor, end: cursor, candidates: sorted.map((e) => e.name) };
  }
  const name = id.text;
  const lower = name.toLowerCase();
  const ranked = entries
    .map((e, index) => {
      const l = e.name.toLowerCase();
      const key = e.name.startsWith(name) ? "0" : l.startsWith(lower) ? "1" : l.includes(lower) ? "2" : "";
      return key ? { name: e.name, sortKey: key + e.sortText, index } : undefined;
    })
    .filter((e): e is { name: string; sortKey: string; index: number } => e !== undefined)
    .sort((a, b) => a.sortKey.localeCompare(b.sortKey) || a.index - b.index);
  return { start: id.getStart(srcFile) - PREFIX.length, end: id.end - PREFIX.length, candidates: ranked.map((e) => e.name) };
}

/** Quick info (type and documentation) at `cursor`. */
export function inspect(s: CompilerState, prevDecl: string, code: string, cursor: number): TS.QuickInfo | undefined {
  const { ts } = s;
  const { program: p, srcFile } = build(s, prevDecl, code);
  const info = ts.getQuickInfoAtPosition(srcFile, p.getTypeChecker(), NO_CANCEL, cursor + PREFIX.length);
  if (info?.textSpan) info.textSpan.start -= PREFIX.length;
  return info;
}
