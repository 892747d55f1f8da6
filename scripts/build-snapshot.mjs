/**
 * @file `npm run build` step (after tsc): builds the executor's V8 startup snapshot into
 * dist/snapshot (kernel/node/snapshot.ts) for the flags the kernel starts its executor
 * with on this machine, or for the flags given: `node scripts/build-snapshot.mjs
 * --max-old-space-size=2048 --no-force-async-hooks-checks`. Without flags it reads the memory limit
 * as the kernel does (GRADLAB_MEMORY_LIMIT, JupyterHub's MEM_LIMIT, the cgroup's memory.max, the
 * machine's memory). Snapshots for other flags stay beside it: a kernel under another memory limit
 * builds its own in the background on its first start (kernel/node/snapshot-blob.ts), and
 * `gradlab install --mem-limit SIZE` builds one for a spawner's mem_limit. A failure is reported
 * and the build goes on: the kernel then starts without a snapshot, as before.
 */
import { statSync } from "node:fs";
import { buildSnapshot } from "../dist/kernel/node/snapshot.js";
import { executorFlags } from "../dist/kernel/protocol/host.js";
import { memoryLimits } from "../dist/kernel/node/limits.js";

const given = process.argv.slice(2);
const flags = given.length > 0 ? given : executorFlags(memoryLimits(), {});
const t0 = performance.now();
try {
  const file = await buildSnapshot(flags);
  const mb = (statSync(file).size / 2 ** 20).toFixed(0);
  console.log(`executor snapshot for ${flags.join(" ")}: ${file} (${mb} MB, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
} catch (e) {
  console.error(`${e instanceof Error ? e.message : String(e)}\n(the kernel starts without a snapshot)`);
}
