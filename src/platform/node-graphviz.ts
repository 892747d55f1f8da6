/**
 * @file Graphviz for the Node platform: DOT -> SVG with Graphviz compiled to WebAssembly
 * (@viz-js/viz), callable synchronously.
 *
 * Why a worker: @viz-js/viz only instantiates asynchronously, but a notebook object's
 * `[Symbol.for("Jupyter.display")]()` must return its bundle synchronously (tslab prints values
 * synchronously). So Graphviz lives in a worker thread, and `renderDot` blocks on `Atomics.wait`
 * until the worker answers (the technique of the `synckit` package). The worker is unref'd, so
 * it never keeps a process alive.
 */
import { createRequire } from "node:module";
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

/**
 * Render DOT to SVG as Graphviz writes it, synchronously. Throws with Graphviz's message when the
 * DOT is invalid, and when Graphviz does not answer within {@link RENDER_TIMEOUT_MS}.
 *
 * @example
 * renderDot("digraph { a -> b }", "dot").includes("<svg"); // true
 */
export function renderDot(dot: string, engine: string): string {
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
