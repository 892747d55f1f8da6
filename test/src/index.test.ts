/**
 * @file The built package resolves by name: a child `node` run from the repo root imports
 * `gradlab` through package.json `exports` (self-reference) and differentiates with it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const built = join(root, "dist", "src", "index.js");

/** Newest modification time under a directory (for the staleness check). */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name);
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
}

beforeAll(() => {
  // `npm test` builds first; when run alone, rebuild a missing or stale dist (tsc emits even if
  // other areas have type errors, so its exit status is not ours to judge here).
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join(root, "src"))) {
    try {
      execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: root, stdio: "pipe" });
    } catch {
      // type errors elsewhere still leave emitted JavaScript; the import below is the judge
    }
  }
});

describe("package self-reference", () => {
  test("node -e import('gradlab') from the repo root runs grad on the built library", () => {
    const script = `import("gradlab").then((m) => {
      const g = m.grad((x) => m.mul(x, m.sin(x)))(2).item();
      console.log(JSON.stringify({ g, exports: ["tensor", "grad", "vjp", "jvp", "hessian"].map((k) => typeof m[k]) }));
    });`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8" });
    const parsed = JSON.parse(out.trim()) as { g: number; exports: string[] };
    expect(parsed.g).toBeCloseTo(Math.sin(2) + 2 * Math.cos(2), 14);
    expect(parsed.exports).toEqual(["function", "function", "function", "function", "function"]);
  });
});
