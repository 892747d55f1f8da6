/**
 * @file Which compiled cells the executor runs without a SIGINT watchdog (kernel/exec/executor.ts,
 * `cannotBlock`): only those that cannot run any code that loops.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createTsConverter } from "../../kernel/exec/converter.js";
import { cannotBlock } from "../../kernel/exec/executor.js";

const conv = createTsConverter(process.cwd());
afterAll(() => conv.close());

describe("cannotBlock", () => {
  it("is true only for a literal expression or an earlier name shown as the cell's value", () => {
    const decl = conv.convert("", "const x = 1;\nconst o = { valueOf() { for (;;) {} } };\nfunction f() { for (;;) {} }").declOutput!;
    const decide = (code: string) => cannotBlock(conv.convert(decl, code));
    for (const code of ["1+1", "(2 + 3) * 4", "2 ** 10", "'text'", "true", "x", "o"]) expect(decide(code), code).toBe(true);
    for (const code of ["f()", "o + 1", "x.toFixed(2)", "'a' + 'b'", "const y = 1;", "for (;;) {}", "new Date()", "globalThis", "await 1", "[1, 2]", "x; f()"]) {
      expect(decide(code), code).toBe(false);
    }
  });
});
