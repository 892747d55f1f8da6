/**
 * @file The executor process's entry point (forked by kernel/protocol/host.ts). The lifeline
 * (watchdog thread, SIGINT handler) starts before anything else loads, so the executor
 * cannot outlive the kernel even while it is still loading the TypeScript compiler; then the
 * request loop (serve.ts) loads.
 *
 * kernel/node/ is the Node host of the cell engine (kernel/engine/): what only Node does around it
 * (the process and its guards, the lifeline and watchdog thread, memory limits and the reserve,
 * the start-up language from the environment and the working directory, the V8 startup snapshot).
 */
import { EXECUTOR_TUNABLES, USER_ARENA_MAX, USER_TUNABLES } from "./limits.js";
import { startLifeline } from "./lifeline.js";
import { deferOptimizingCompiler } from "./tiering.js";

// V8's optimizing compiler waits until the first long work (tiering.ts).
const resumeOptimizing = deferOptimizingCompiler();

// glibc read the executor's GLIBC_TUNABLES at start (limits.ts); what cells see, and pass on to
// the processes they start, is the user's own value, or none.
if (process.env[USER_TUNABLES] === undefined) delete process.env.GLIBC_TUNABLES;
else process.env.GLIBC_TUNABLES = process.env[USER_TUNABLES];
delete process.env[USER_TUNABLES];
delete process.env[EXECUTOR_TUNABLES]; // set here only where no shell took it (Windows)
// The same for MALLOC_ARENA_MAX (glibc read the executor's own, limits.ts).
if (process.env[USER_ARENA_MAX] === undefined) delete process.env.MALLOC_ARENA_MAX;
else process.env.MALLOC_ARENA_MAX = process.env[USER_ARENA_MAX];
delete process.env[USER_ARENA_MAX];
// Started from the startup snapshot, Node's console has no `Console` constructor: the snapshot kept it.
const snap = (globalThis as Record<symbol, { Console?: typeof console.Console } | undefined>)[Symbol.for("gradlab.tsSnapshot")];
if (typeof console.Console !== "function" && typeof snap?.Console === "function") {
  Object.defineProperty(console, "Console", { value: snap.Console, writable: true, configurable: true, enumerable: true });
}
const lifeline = startLifeline();
const { serve } = await import("./serve.js");
// Started from the bundle (executor-bundle.ts), this module's URL is the bundle's: the bundler
// rewrites every other module's to its own file, not the entry's.
serve(lifeline, resumeOptimizing, import.meta.url.endsWith("/executor.bundle.js") ? import.meta.url : undefined);
