/** @file Unit tests for is_complete answers (kernel/protocol/is-complete.ts) and the protocol process's module graph. */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { isCompleteReply } from "../../kernel/protocol/is-complete.js";
import { lex } from "../../kernel/protocol/lexer.js";
import { ensureBuilt, REPO } from "./helpers.js";

it("tells complete, incomplete (with indent) and invalid TypeScript apart, magics included", () => {
  expect(isCompleteReply("const x: number = 1;")).toEqual({ status: "complete" });
  expect(isCompleteReply("function f() {")).toEqual({ status: "incomplete", indent: "  " });
  expect(isCompleteReply("const s = `a\n${1}")).toEqual({ status: "incomplete", indent: "" });
  expect(isCompleteReply("let y = )")).toEqual({ status: "invalid" });
  expect(isCompleteReply("%timeit f(x)\nconst z = 2;")).toEqual({ status: "complete" });
  expect(isCompleteReply("%%html\n<b>")).toEqual({ status: "complete" });
  expect(isCompleteReply("")).toEqual({ status: "complete" });
});

describe("the lexer-level check", () => {
  const complete = { status: "complete" };
  const invalid = { status: "invalid" };
  const incomplete = (indent = "") => ({ status: "incomplete", indent });
  const cases: [string, object][] = [
    // Brackets: the indent is one step past the line that opened the innermost one.
    ["const a = [1, 2,", incomplete("  ")],
    ["if (x) {\n  console.log(x);", incomplete("  ")],
    ["if (a) {\n  if (b) {\n  }", incomplete("  ")],
    ["x = {\n  a: 1,\n  b: [\n    1,", incomplete("    ")],
    ["f(a,", incomplete("  ")],
    ["function f() {\n  return 1;\n}", complete],
    ["const m = new Map<string, Array<number>>()", complete],
    ["}", invalid],
    ["f(]", invalid],
    // Strings: a line end inside quotes is an error; a `\` at the end continues the string.
    ["'abc", invalid],
    ["'abc\\", incomplete()],
    ["'abc\\\\", invalid],
    ["const s = 'a\\\nb'", complete],
    ['"it\'s" + "a \\" quote"', complete],
    // Template literals: open text, `${}` inside, backticks and braces inside `${}`.
    ["`abc", incomplete()],
    ["`abc ${", incomplete("  ")],
    ["`a ${ {b: `c`}.b } d`", complete],
    ["`a ${ `b ${1}` }", incomplete()],
    ["`unbalanced { in text`", complete],
    // Comments hide what they hold.
    ["/* comment", incomplete()],
    ["  /* comment\n  still", incomplete("  ")],
    ["// f(", complete],
    ["x = 1 // (", complete],
    ["/* ( */ x", complete],
    // Regular expressions against division.
    ["const r = /ab+c(/g;", complete],
    ["const r = /[/(]/;", complete],
    ["const q = a / b / (c);", complete],
    ["const r = /abc", invalid],
    ["const q = a[1]! / 2 + (b! / 3);", complete],
    ["const n = !/x/.test(s)", complete],
    // A last token that needs more.
    ["const a = 1 +", incomplete()],
    ["  const z = 1 +", incomplete("  ")],
    ["x.", incomplete()],
    ["const f = (x) =>", incomplete()],
    ["x ? y", incomplete()],
    ["x ? y : z", complete],
    ["const y = !", incomplete()],
    ["x!", complete],
    ["x++", complete],
    ["let v: Array<number>", complete],
    ["const t = [1] as const", complete],
    ["type F = () => void", complete],
    ["const x = new", incomplete()],
    ["import { a } from", incomplete()],
    ["import { a } from 'b'", complete],
    ["const from = 1;\nfrom", complete],
    ["obj.if", complete],
    // Statements that need a body or a continuation.
    ["if (x)", incomplete("  ")],
    ["for (let i = 0; i < 3; i++)", incomplete("  ")],
    ["for await (const x of y)", incomplete("  ")],
    ["while (x)", incomplete("  ")],
    ["do { x++ } while (x < 3)", complete],
    ["if (x) y; else", incomplete("  ")],
    ["try { f() }", incomplete()],
    ["try { f() } catch { }", complete],
    ["class A extends B", incomplete()],
    ["export interface I", incomplete()],
    ["function f()", incomplete()],
    ["declare function f(): void", complete],
    // What no continuation can mend.
    ["const = 5;", invalid],
    ["let y = )", invalid],
    ["a = ;", invalid],
    ["f(x.)", invalid],
    ["f(a, b, )", complete],
    ["function f(x?) { return x; }", complete],
    ["switch (x) { case 1: }", complete],
    ["const { a } = o;\nlet [b] = c", complete],
    ["const t = [1] as const;", complete],
    // A backslash outside strings is no TypeScript.
    ["a \\", invalid],
    ["const \\u0061b = 1", complete],
    // A blank line at the end runs the input: unfinished, it is invalid, but a template's text keeps blank lines.
    ["function f() {\n\n", invalid],
    ["a =\n\n", invalid],
    ["`a\n\n", incomplete()],
    ["1 + 1\n\n", complete],
    // Magic lines are complete statements.
    ["%who\nconst a = (", incomplete("  ")],
    ["const a = 1 +\n%who", incomplete()],
  ];
  it.each(cases)("%j", (code, reply) => {
    expect(isCompleteReply(code)).toEqual(reply);
  });

  it("tokenizes names, numbers, strings, templates, regular expressions and punctuators, with their depth", () => {
    const { tokens, open } = lex("f(1.5e-3, 'a', `b${c}`, /d/g) >>>= x?.y");
    expect(tokens.map((t) => [t.kind, t.text, t.depth])).toEqual([
      ["name", "f", 0],
      ["punct", "(", 0],
      ["number", "1.5e-3", 1],
      ["punct", ",", 1],
      ["string", "'a'", 1],
      ["punct", ",", 1],
      ["name", "c", 3],
      ["template", "`b${c}`", 1],
      ["punct", ",", 1],
      ["regex", "/d/g", 1],
      ["punct", ")", 0],
      ["punct", ">>>=", 0],
      ["name", "x", 0],
      ["punct", "?.", 0],
      ["name", "y", 0],
    ]);
    expect(open).toEqual([]);
  });
});

/** Relative imports (static, re-exports, dynamic) and bare specifiers of a source file, `require` calls included. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)["']([^"']+)["']/g)) out.push(m[1]!);
  return out;
}

describe("the protocol process never loads the TypeScript compiler", () => {
  it("the module graph of kernel/protocol/* (main.ts included) imports no TypeScript, tslab or compiler module", () => {
    const protocol = join(REPO, "kernel", "protocol");
    const queue = [
      join(REPO, "kernel", "protocol", "main.ts"),
      ...readdirSync(protocol)
        .filter((f) => f.endsWith(".ts"))
        .map((f) => join(protocol, f)),
    ];
    const seen = new Set<string>();
    const bare = new Set<string>();
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of specifiers(file)) {
        if (spec.startsWith(".")) queue.push(resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
        else bare.add(spec);
      }
    }
    const local = [...seen].map((f) => f.slice(REPO.length + 1));
    expect(local).toContain("kernel/protocol/is-complete.ts");
    expect(local.filter((f) => f.startsWith("kernel/engine/compiler/") || f === "kernel/engine/compiler/ts-loader.ts")).toEqual([]);
    expect([...bare].filter((s) => /typescript|tslab/.test(s))).toEqual([]);
  });

  it("loading the built protocol server and answering is_complete leaves the compiler unloaded", async () => {
    await ensureBuilt();
    const script = `
      import { createRequire } from "node:module";
      await import(${JSON.stringify(join(REPO, "dist/kernel/protocol/server.js"))});
      const { isCompleteReply } = await import(${JSON.stringify(join(REPO, "dist/kernel/protocol/is-complete.js"))});
      const reply = isCompleteReply("function f() {");
      const loaded = Object.keys(createRequire(${JSON.stringify(join(REPO, "package.json"))}).cache).filter((k) => /typescript|tslab/.test(k));
      console.log(JSON.stringify({ reply, loaded }));
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop()!)).toEqual({ reply: { status: "incomplete", indent: "  " }, loaded: [] });
  }, 60_000);
});
