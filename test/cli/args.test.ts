/** @file The argv parser of `gradlab run` / `gradlab check`. */
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../cli/args.js";

describe("parseArgs", () => {
  const spec = { out: "string", html: "boolean", timeout: "number" } as const;
  it("takes --flag value and --flag=value, positionals anywhere", () => {
    expect(parseArgs("run", ["a", "--out", "o", "b", "--timeout=2.5", "--html"], spec)).toEqual({
      paths: ["a", "b"],
      flags: { out: "o", timeout: 2.5, html: true },
    });
  });
  it("explains bad flags", () => {
    expect(() => parseArgs("run", ["--nope"], spec)).toThrow('run: unknown option "--nope" (expected one of --out, --html, --timeout)');
    expect(() => parseArgs("run", ["--out"], spec)).toThrow("run: --out expects a value, got nothing");
    expect(() => parseArgs("run", ["--html=yes"], spec)).toThrow('run: --html takes no value, got "yes"');
    expect(() => parseArgs("run", ["--timeout", "-1"], spec)).toThrow('run: --timeout expects a positive number, got "-1"');
  });
});
