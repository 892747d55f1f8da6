/** @file `is_complete_request`: complete / incomplete (with indent) / invalid, magics aware. */
import { createRequire } from "node:module";
import { loadTypeScript } from "../exec/ts-loader.js";
import { parseCell } from "../magics/parse.js";

const require = createRequire(import.meta.url);

/** The content of an is_complete_reply. */
export type IsCompleteReply = { status: "complete" | "invalid" } | { status: "incomplete"; indent: string };

/**
 * Decide whether a console should run `code` now. TypeScript is parsed (not type-checked);
 * magic lines count as complete statements.
 *
 * @example
 * isCompleteReply("let y = )") // { status: "invalid" }
 * isCompleteReply("function f() {") // { status: "incomplete", indent: "  " }
 */
export function isCompleteReply(code: string): IsCompleteReply {
  const segments = parseCell(code);
  if (segments[0]?.type === "magic" && segments[0].mode === "cell") return { status: "complete" };
  // Blank out magic lines so TypeScript positions (and the end of input) stay where they were.
  const lines = code.split("\n");
  for (const s of segments) if (s.type !== "code") lines[s.line] = "";
  const ts = lines.join("\n");
  if (ts.trim() === "") return { status: "complete" };
  loadTypeScript(); // through the code cache, before tslab's converter requires it
  const { isCompleteCode } = require("tslab/dist/converter") as typeof import("tslab/dist/converter.js");
  const tslab = isCompleteCode(ts);
  if (!tslab.completed) return { status: "incomplete", indent: tslab.indent ?? "" };
  const typescript = loadTypeScript().ts;
  const sf = typescript.createSourceFile("cell.ts", ts, typescript.ScriptTarget.Latest, false, typescript.ScriptKind.TS);
  const diags = (sf as unknown as { parseDiagnostics?: { messageText: unknown; start: number }[] }).parseDiagnostics ?? [];
  if (diags.length === 0) return { status: "complete" };
  if (diags.some((d) => typeof d.messageText === "string" && /^Unterminated template literal/.test(d.messageText))) {
    return { status: "incomplete", indent: "" };
  }
  return { status: "invalid" };
}
