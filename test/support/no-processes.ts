/**
 * @file Setup of the quick tier (vitest.quick.config.ts): every way of starting a process throws,
 * so a test that needs one fails there and belongs in the full run (`npm test`) only.
 */
import childProcess from "node:child_process";
import { syncBuiltinESMExports } from "node:module";

const STARTERS = ["spawn", "spawnSync", "exec", "execSync", "execFile", "execFileSync", "fork"] as const;

for (const name of STARTERS) {
  Object.defineProperty(childProcess, name, {
    configurable: true,
    writable: true,
    value: () => {
      throw new Error(
        `child_process.${name}: the quick tier (npm run test:quick) starts no processes; exclude this file in vitest.quick.config.ts`,
      );
    },
  });
}
// Named imports (`import { spawnSync } from "node:child_process"`) see the replacements too.
syncBuiltinESMExports();
