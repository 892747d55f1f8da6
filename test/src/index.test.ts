/**
 * @file The built package resolves by name: a child `node` run from the repo root imports
 * `gradlab` through package.json `exports` (self-reference) and differentiates with it.
 */
import { execFileSync } from "node:child_process";
import { beforeAll, describe, expect, test } from "vitest";
import { assertBuilt, REPO } from "../support/build.js";

// The child imports dist/src/: a stale build fails here instead of testing old code.
beforeAll(() => assertBuilt(["src"]));

describe("package self-reference", () => {
  test("node -e import('gradlab') from the repo root runs grad on the built library", () => {
    const script = `import("gradlab").then((m) => {
      const g = m.grad((x) => m.mul(x, m.sin(x)))(2).item();
      console.log(JSON.stringify({ g, exports: ["tensor", "grad", "vjp", "jvp", "hessian"].map((k) => typeof m[k]) }));
    });`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO, encoding: "utf8" });
    const parsed = JSON.parse(out.trim()) as { g: number; exports: string[] };
    expect(parsed.g).toBeCloseTo(Math.sin(2) + 2 * Math.cos(2), 14);
    expect(parsed.exports).toEqual(["function", "function", "function", "function", "function"]);
  });
});
