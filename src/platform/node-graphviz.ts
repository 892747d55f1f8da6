/**
 * @file Graphviz for the Node platform: DOT -> SVG with Graphviz compiled to WebAssembly
 * (@viz-js/viz), callable synchronously.
 *
 * @viz-js/viz only instantiates asynchronously, but a notebook object's
 * `[Symbol.for("Jupyter.display")]()` must return its bundle synchronously (tslab prints values
 * synchronously). Two ways, giving the same SVG (the same module renders it):
 * - On this thread, once {@link prepareGraphviz} has instantiated Graphviz here (the kernel's
 *   executor calls it, through `Symbol.for("gradlab.prepareGraphviz")`, when it is idle after a
 *   cell that imported gradlab): no second isolate. Graphviz's WebAssembly runs on this thread's
 *   stack, so a graph that overflows it is rendered again by the worker below, whose stack is
 *   larger; after a trap, or a render that never returned (JavaScript terminated by an
 *   interrupt inside it), this instance is dropped and a fresh one started.
 * - Else in a worker thread, started on first need: `renderDot` blocks on `Atomics.wait` until it
 *   answers (the technique of the `synckit` package). The worker is unref'd, so it never keeps a
 *   process alive.
 *
 * On this thread Graphviz's code stays with V8's baseline WebAssembly compiler (Liftoff): see
 * {@link instantiateBaseline}.
 */
import { createRequire } from "node:module";
import type { Viz } from "@viz-js/viz";
import v8 from "node:v8";
import { MessageChannel, type MessagePort, Worker, receiveMessageOnPort } from "node:worker_threads";
import { GradlabError } from "../tensor/errors.js";
import { tr } from "../i18n/index.js";

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { port, flag, vizPath } = workerData;
const signal = new Int32Array(flag);
let seq = 0;
const reply = (msg) => { port.postMessage({ seq, ...msg }); Atomics.store(signal, 0, 1); Atomics.notify(signal, 0); };
let ready = require(vizPath).instance();
port.on("message", (req) => {
  ready.then((viz) => {
    seq = req.seq;
    const { dot, engine } = req;
    try {
      const r = viz.render(dot, { format: "svg", engine });
      if (r.status === "success") reply({ svg: r.output });
      else reply({ error: r.errors.map((e) => e.message).join("; ") || "unknown Graphviz error" });
    } catch (e) {
      // A WebAssembly trap (e.g. stack overflow) may leave the instance broken: start afresh.
      ready = require(vizPath).instance();
      reply({ error: String((e && e.message) || e) });
    }
  }, (e) => { seq = req.seq; reply({ error: String((e && e.message) || e) }); });
});
`;

/** Longest wait for Graphviz (first call includes compiling the WebAssembly module). */
const RENDER_TIMEOUT_MS = 30_000;

interface Channel {
  port: MessagePort;
  signal: Int32Array;
  worker: Worker;
}

let lastSeq = 0;

let channel: Channel | undefined;

function start(): Channel {
  if (channel) return channel;
  const vizPath = createRequire(import.meta.url).resolve("@viz-js/viz");
  const flag = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { port: port2, flag, vizPath },
    transferList: [port2],
    // Graphviz recurses deeply on long chains; the default 4 MB thread stack overflows.
    resourceLimits: { stackSizeMb: 64 },
  });
  worker.unref();
  port1.unref();
  worker.on("error", () => {
    channel = undefined;
  });
  channel = { port: port1, signal: new Int32Array(flag), worker };
  return channel;
}

/** Graphviz instantiated on this thread, once ready. */
let local: Viz | undefined;
/** The instantiation on this thread under way, if any. */
let localStarting: Promise<void> | undefined;
/** Set while Graphviz renders on this thread: still set at the next call if that render never returned. */
let localRendering = false;

/**
 * Start instantiating Graphviz on this thread (asynchronously; a few tens of ms of CPU), so that
 * later renders need no worker; a worker started before is ended once it is ready. Resolves once
 * it is ready (or failed: renders then use the worker).
 */
export function prepareGraphviz(): Promise<void> {
  if (local) return Promise.resolve();
  localStarting ??= import("@viz-js/viz")
    .then((m) => instantiateBaseline(() => m.instance()))
    .then(
      (viz) => {
        local = viz;
        // The worker is needed no more (a render there is synchronous: none is under way).
        if (channel) void channel.worker.terminate();
        channel = undefined;
      },
      () => undefined,
    )
    .finally(() => {
      localStarting = undefined;
    });
  return localStarting;
}
(globalThis as Record<symbol, unknown>)[Symbol.for("gradlab.prepareGraphviz")] = prepareGraphviz;

/** V8's tiering budget of a WebAssembly function: its own default, or the process's flag. */
const TIERING_BUDGET = Number(
  /--wasm-tiering-budget=(\d+)/.exec(process.execArgv.filter((a) => a.startsWith("--wasm-tiering-budget=")).pop() ?? "")?.[1] ?? 1_800_000,
);
/** A budget no render uses up. */
const NO_TIERING_BUDGET = 2_000_000_000;

/** The part of the WebAssembly API used here (the compiler's lib has no declarations of it). */
interface WasmApi {
  Module: new (bytes: ArrayBuffer | ArrayBufferView) => object;
  instantiate(source: unknown, imports?: object): Promise<unknown>;
}

/**
 * Runs `instantiate` (@viz-js/viz's, which calls `WebAssembly.instantiate` with Graphviz's bytes
 * within its promise jobs, before any other task runs) so that Graphviz's functions stay with
 * V8's baseline compiler. V8 gives each function of a module its tiering budget when it compiles
 * the module; the module is compiled here synchronously while the flag gives a budget no render
 * uses up, and the flag is put back before anything else runs. Left to tier up, the first render
 * compiled Graphviz's hot functions again with the optimizing compiler: about 100 ms of CPU and
 * 5-10 MB resident for the process's life, for renders no faster at a notebook's sizes. Other
 * modules (the library's SIMD kernels) keep tiering up. Only the first call with bytes is taken;
 * anything else goes to `WebAssembly.instantiate` as it is.
 */
async function instantiateBaseline<T>(instantiate: () => Promise<T>): Promise<T> {
  const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  const original = wasm.instantiate;
  const baseline = (source: unknown, imports?: object): Promise<unknown> => {
    wasm.instantiate = original;
    if (!(source instanceof ArrayBuffer || ArrayBuffer.isView(source))) return original.call(wasm, source, imports);
    let module: object;
    v8.setFlagsFromString(`--wasm-tiering-budget=${NO_TIERING_BUDGET}`);
    try {
      module = new wasm.Module(source);
    } finally {
      v8.setFlagsFromString(`--wasm-tiering-budget=${TIERING_BUDGET}`);
    }
    return original.call(wasm, module, imports).then((instance) => ({ module, instance }));
  };
  wasm.instantiate = baseline;
  try {
    return await instantiate();
  } finally {
    if (wasm.instantiate === baseline) wasm.instantiate = original;
  }
}

/** Drop this thread's instance (it may be broken) and start a fresh one. */
function restartLocal(): void {
  local = undefined;
  localRendering = false;
  void prepareGraphviz();
}

/** Render on this thread: the SVG, Graphviz's error, or undefined when the worker must do it. */
function renderLocal(dot: string, engine: string): { svg: string } | { error: string } | undefined {
  if (localRendering) restartLocal();
  if (!local) return undefined;
  localRendering = true;
  let r: ReturnType<Viz["render"]>;
  try {
    r = local.render(dot, { format: "svg", engine });
  } catch {
    // A WebAssembly trap (e.g. this thread's smaller stack overflowed) may leave the instance broken.
    restartLocal();
    return undefined;
  }
  localRendering = false;
  if (r.status === "success") return { svg: r.output! };
  return { error: r.errors.map((e) => e.message).join("; ") || "unknown Graphviz error" };
}

/**
 * Render DOT to SVG as Graphviz writes it, synchronously. Throws with Graphviz's message when the
 * DOT is invalid, and (in the worker) when Graphviz does not answer within {@link RENDER_TIMEOUT_MS};
 * on this thread a long layout is stopped as any cell is, by an interrupt.
 *
 * @example
 * renderDot("digraph { a -> b }", "dot").includes("<svg"); // true
 */
export function renderDot(dot: string, engine: string): string {
  const here = renderLocal(dot, engine);
  if (here && "error" in here) throw new GradlabError("graph: " + tr("Graphviz failed: {why}", { why: here.error }));
  if (here) return here.svg;
  return renderInWorker(dot, engine);
}

/**
 * Render DOT in the worker (started on first need), as {@link renderDot}.
 *
 * @example
 * renderInWorker("digraph { a -> b }", "dot").includes("<svg"); // true
 */
export function renderInWorker(dot: string, engine: string): string {
  const ch = start();
  const seq = ++lastSeq;
  Atomics.store(ch.signal, 0, 0);
  ch.port.postMessage({ dot, engine, seq });
  const deadline = Date.now() + RENDER_TIMEOUT_MS;
  for (;;) {
    const msg = receiveMessageOnPort(ch.port)?.message as { seq: number; svg?: string; error?: string } | undefined;
    if (msg && msg.seq === seq) {
      if (msg.error !== undefined) throw new GradlabError("graph: " + tr("Graphviz failed: {why}", { why: msg.error }));
      return msg.svg!;
    }
    if (msg) continue; // a late answer to an earlier, abandoned request
    const left = deadline - Date.now();
    if (left <= 0) {
      // Abandon this worker (it may be stuck in a huge layout); the next call starts a fresh one.
      void ch.worker.terminate();
      channel = undefined;
      throw new GradlabError(
        "graph: " +
          tr("Graphviz did not answer within {s} s (try {hint} or a smaller maxVertices)", {
            s: RENDER_TIMEOUT_MS / 1000,
            hint: '{ layout: "layered" }',
          }),
      );
    }
    Atomics.wait(ch.signal, 0, 0, left);
    Atomics.store(ch.signal, 0, 0);
  }
}
