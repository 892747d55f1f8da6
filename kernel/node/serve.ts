/**
 * @file The Node host's executor entry after its lifeline (child.ts): {@link serve} builds the
 * engine's executor and dispatch (kernel/engine/dispatch.ts: the display, the comms, the handling
 * of each message) and this host's request loop (request-loop.ts), then hands the dispatch the
 * execute, complete and inspect requests and comm messages from the protocol process
 * (kernel/protocol/server.ts), over Node IPC, until that process goes away. Nothing is made
 * before `serve` is called.
 *
 * Why a separate process: a cell like `while (true) {}` blocks this event loop, so ZeroMQ
 * (heartbeat, control channel, interrupt_request) must live elsewhere. An interrupt comes on
 * the lifeline pipe (lifeline.ts): the watchdog thread terminates code that blocks this thread,
 * and a pending `await` is rejected through the interrupt promise, so the notebook's state
 * survives; the request whose code was cut short is answered with a KeyboardInterrupt
 * (request-loop.ts). A cell cannot end this process (guards.ts).
 */
import { createRequire } from "node:module";
import { loadMagicModules } from "../magics/registry.js";
import { createTslabShim } from "../engine/display.js";
import { Dispatch } from "../engine/dispatch.js";
import { Executor } from "../engine/executor.js";
import { setEngineBundle } from "../engine/errors.js";
import { applyStartLanguage } from "./language.js";
import { localizeConsoleTable } from "../engine/console-table.js";
import { ProcessGuards } from "./guards.js";
import type { ChildToHost, HostToChild } from "../engine/ipc.js";
import type { Lifeline } from "./lifeline.js";
import { RequestLoop } from "./request-loop.js";
import { MemoryReserve } from "./reserve.js";
import { VERSION } from "../kernelspec.js";
import { tsSnapshot } from "../engine/compiler/ts-loader.js";
import { precompiledLookup } from "./precompiled.js";

/**
 * Serve requests from the protocol process until it goes away. `bundle`: the URL of the bundle
 * the executor runs from, when it does (kernel/node/executor-bundle.ts; errors.ts tells its frames).
 *
 * @example
 * serve(startLifeline(), deferOptimizingCompiler());
 */
export function serve(lifeline: Lifeline, resumeOptimizing: () => void = () => undefined, bundle?: string): void {
  setEngineBundle(bundle);
  const guards = new ProcessGuards();
  // The log goes to the real stderr (captureStreams sends cells' stderr to the notebook).
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const log = (line: string): void => void stderrWrite(line + "\n");
  const send = (m: ChildToHost): void => {
    if (!process.connected) guards.die();
    loop.sent(m);
    process.send!(m, undefined, undefined, (err: Error | null) => {
      if (err) guards.die();
    });
  };
  const dispatch = new Dispatch({
    send,
    log,
    // Required when first used, not imported: it loads TypeScript, which the compiler loads first (kernel/engine/compiler/ts-loader.ts).
    quickInfo: (info) =>
      (createRequire(import.meta.url)("tslab/dist/inspect.js") as typeof import("tslab/dist/inspect.js")).printQuickInfo(info),
  });
  // The notebook's language, before anything is shown (language.ts); user code and the magics
  // share the setting (it lives on globalThis, src/i18n).
  applyStartLanguage(process.env, process.cwd(), log);
  localizeConsoleTable();
  const executor = new Executor(
    process.cwd(),
    dispatch.display,
    createTslabShim(dispatch.display, { gradlab: VERSION, node: process.version }),
  );
  executor.onAsyncPhase = (active) => lifeline.asyncPhase(active);
  executor.stopCause = () => lifeline.takeStopCause();
  // The optimizing compiler is on before long work first runs, and after the first request (tiering.ts).
  executor.beforeLongWork = resumeOptimizing;
  // The shipped notebooks' cells compiled when the snapshot was built, while they hold (precompiled.ts).
  const ahead = precompiledLookup(tsSnapshot()?.precompiled, bundle, executor.cwd);
  if (ahead) executor.precompiled = ahead;
  /** Headroom kept for compiling the next cells when a notebook fills its memory (reserve.ts). */
  const reserve = new MemoryReserve(Number(process.env.GRADLAB_MEMORY_LIMIT_BYTES));
  /** The magics registry, loaded once on first use (after {@link Executor.warm} has loaded the library). */
  let magicsLoaded: ReturnType<typeof loadMagicModules> | undefined;
  const magics = () => {
    executor.warm();
    return (magicsLoaded ??= loadMagicModules());
  };
  dispatch.attach(executor, magics);

  // Once a cell has imported gradlab, Graphviz is instantiated on this thread while the kernel is
  // idle (after the reply), so graphs need no worker thread of their own (src/platform/node-graphviz.ts).
  let graphvizPrepared = false;
  const afterJob = (): void => {
    resumeOptimizing();
    reserve.check();
    if (graphvizPrepared || !executor.importedGradlab) return;
    graphvizPrepared = true;
    setImmediate(() => {
      const prepare = (globalThis as Record<symbol, unknown>)[Symbol.for("gradlab.prepareGraphviz")];
      if (typeof prepare === "function") void (prepare as () => Promise<void>)();
    });
  };
  const loop = new RequestLoop({
    lifeline,
    executor,
    send,
    log,
    afterJob,
    handleRequest: (m) => dispatch.request(m),
    handleComm: (m) => dispatch.comm(m),
  });
  process.on("message", (m: HostToChild) => {
    if (m.type === "exit") guards.exit();
    else loop.push(m);
  });
  loop.start();
  guards.install(Number(process.env.GRADLAB_KERNEL_PID));

  // Deep library stacks (a cell calling grad calling the op that threw) must not push the cell's
  // own frames out of the trace; library frames are folded when the error is shown (errors.ts).
  Error.stackTraceLimit = 100;
  captureStreams((name, text) => send({ type: "stream", id: dispatch.current, name, text }));
  send({ type: "ready" });
  // Warm the TypeScript compiler and load magics while the front end is still connecting.
  setImmediate(() => {
    // Not a request: an interrupt (always aimed at requests) must not cut the loading short.
    lifeline.busy(true);
    executor.warm();
    reserve.check();
    lifeline.busy(loop.busy);
    void magics().then(({ errors }) => errors.forEach((e) => log(e)));
  });
}

/** What this process writes to stdout and stderr (cells, magics, libraries) goes to `out`. */
function captureStreams(out: (name: "stdout" | "stderr", text: string) => void): void {
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    stream.write = ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      if (text) out(name, text);
      const done = typeof enc === "function" ? enc : cb;
      if (typeof done === "function") (done as () => void)();
      return true;
    }) as typeof stream.write;
  }
}
