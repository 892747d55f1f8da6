/** @file Unit tests for the magics registry (kernel/magics/registry.ts). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMagicModules, MagicRegistry, MagicUsageError, type Magic } from "../../kernel/magics/registry.js";

const magic = (name: string, kind: Magic["kind"]): Magic => ({
  name,
  kind,
  usage: `%${name} expr`,
  help: `Help of ${name}.`,
  run: () => undefined,
});

describe("MagicRegistry", () => {
  const reg = new MagicRegistry([magic("who", "line"), magic("whos", "line"), magic("time", "both"), magic("html", "cell")]);

  it("looks magics up by name and mode", () => {
    expect(reg.get("who", "line")?.name).toBe("who");
    expect(reg.get("who", "cell")).toBeUndefined();
    expect(reg.get("time", "cell")?.name).toBe("time");
    expect(reg.spellings("cell")).toEqual(["html", "time"]);
  });

  it("completes magic names being typed at a line start (%% only on the first line)", () => {
    expect(reg.complete("%wh", 3)).toEqual({ start: 0, end: 3, candidates: ["%who", "%whos"] });
    expect(reg.complete("x = 1\n  %ti", 11)).toEqual({ start: 8, end: 11, candidates: ["%time"] });
    expect(reg.complete("%%h", 3)).toEqual({ start: 0, end: 3, candidates: ["%%html"] });
    expect(reg.complete("%whxyz", 3)).toEqual({ start: 0, end: 6, candidates: ["%who", "%whos"] });
    expect(reg.complete("%q", 2)).toEqual({ start: 0, end: 2, candidates: [] });
    expect(reg.complete("1\n%%h", 5)).toBeUndefined();
    expect(reg.complete("a % b", 3)).toBeUndefined();
    expect(reg.complete("grad", 4)).toBeUndefined();
  });

  it("finds the magic under the cursor for inspect requests", () => {
    expect(reg.at("%whos", 2)?.name).toBe("whos");
    expect(reg.at("x\n%time 1 + 1", 5)?.name).toBe("time");
    expect(reg.at("%time 1 + 1", 9)).toBeUndefined();
    expect(reg.at("%%html\n<b>", 3)?.name).toBe("html");
    expect(reg.at("1\n%%html", 5)).toBeUndefined();
    expect(reg.at("%nosuch", 2)).toBeUndefined();
  });

  it("rejects duplicate names and malformed magics", () => {
    expect(() => reg.register(magic("who", "line"))).toThrow('magics: two magics are named "who"');
    expect(() => new MagicRegistry([{ name: "x" } as Magic])).toThrow("magics: expected a Magic");
  });

  it("explains unknown magics with the closest name", () => {
    expect(reg.unknownMessage("whoo", "line")).toBe("UsageError: unknown magic %whoo; did you mean %who? (%lsmagic lists them all)");
    expect(reg.unknownMessage("htm", "line")).toContain("did you mean %%html?");
    expect(reg.unknownMessage("who", "cell")).toBe("UsageError: %%who is not a cell magic; use %who (usage: %who expr)");
    expect(reg.unknownMessage("qqqqqqqq", "line")).toBe("UsageError: unknown magic %qqqqqqqq (%lsmagic lists them all)");
  });

  it("formats usage errors on one line naming the magic and its usage", () => {
    const msg = reg.usageMessage(reg.get("who", "line")!, new MagicUsageError("unknown flag -x"));
    expect(msg).toBe("UsageError: %who: unknown flag -x (usage: %who expr)");
    expect(reg.usageMessage(reg.get("who", "line")!, new MagicUsageError("bad"), "cell")).toBe("UsageError: %%who: bad (usage: %who expr)");
    expect(msg).not.toContain("\n");
  });
});

describe("loadMagicModules", () => {
  it("registers default-exported magics (single or arrays) and skips helper modules", async () => {
    const dir = mkdtempSync(join(tmpdir(), "magics-"));
    const src = (name: string) => `{ name: "${name}", kind: "line", usage: "%${name}", help: "h", run() {} }`;
    writeFileSync(join(dir, "a.js"), `export default ${src("alpha")};`);
    writeFileSync(join(dir, "b.js"), `export default [${src("beta")}, ${src("gamma")}];`);
    writeFileSync(join(dir, "helper.js"), `export const x = 1;`);
    writeFileSync(join(dir, "dup.js"), `export default ${src("alpha")};`);
    writeFileSync(join(dir, "broken.js"), `throw new Error("boom");`);
    const { registry, errors } = await loadMagicModules(dir);
    expect(registry.list().map((m) => m.name)).toEqual(["alpha", "beta", "gamma"]);
    expect(errors).toHaveLength(2);
    expect(errors.join("\n")).toContain("cannot load broken.js: boom");
    expect(errors.join("\n")).toContain('two magics are named "alpha"');
  });
});
