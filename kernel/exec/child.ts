/**
 * @file The executor process's entry point (forked by kernel/protocol/host.ts). The lifeline
 * (watchdog thread, SIGINT handler) starts before anything else loads, so the executor
 * cannot outlive the kernel even while it is still loading the TypeScript compiler; then the
 * request loop (serve.ts) loads.
 */
import { startLifeline } from "./lifeline.js";

const lifeline = startLifeline();
const { serve } = await import("./serve.js");
serve(lifeline);
