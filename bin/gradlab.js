#!/usr/bin/env node
// Thin launcher: the CLI lives in kernel/cli.ts (built to dist/kernel/cli.js by `npm run build`).
import { main } from "../dist/kernel/cli.js";

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 1; },
);
