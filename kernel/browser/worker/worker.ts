/**
 * @file The browser host of the cell engine: a module Web Worker that runs a notebook's cells for
 * the site's JupyterLite kernel (kernel/browser/page/kernel.ts), answering the same messages as the Node
 * executor child (kernel/engine/ipc.ts) with the same engine: the cell compiler
 * (kernel/engine/compiler), the executor, the display and the magics that need no shell.
 * `import ... from "gradlab"` is the library bundled into this worker (its browser platform).
 *
 * What only Node has is filled in by the bundle (scripts/build-site.mjs maps the Node built-ins
 * and the compiler's loader to kernel/browser/worker/node/): the compiler reads its files (the lib and
 * `@types/node` declarations, gradlab's own) from a pack fetched beside this worker (files.ts),
 * cells run by an indirect eval, and what cells print to `console` or `process.stdout` becomes
 * stream output, as the Node executor's captured streams do.
 */
import * as gradlab from "../../../src/index.js";
import { executeCell, type CellEnv } from "../../engine/cell.js";
import { createDisplay, createTslabShim } from "../../engine/display.js";
import { CommManager } from "../../engine/comms.js";
import { CellError } from "../../engine/errors.js";
import { Executor } from "../../engine/executor.js";
import type { ChildToHost, ErrorContent, HostToChild } from "../../engine/ipc.js";
import { MagicRegistry, type Magic } from "../../magics/registry.js";
import backprop from "../../magics/backprop.js";
import forward from "../../magics/forward.js";
import gradcheck from "../../magics/gradcheck.js";
import graph from "../../magics/graph.js";
import interact from "../../magics/interact.js";
import language from "../../magics/language.js";
import lsmagic from "../../magics/lsmagic.js";
import plot from "../../magics/plot.js";
import precision from "../../magics/precision.js";
import render from "../../magics/render.js";
import time from "../../magics/time.js";
import who from "../../magics/who.js";
import { inspectValue } from "../../../src/platform/inspect.js";
import { setLanguage } from "../../../src/i18n/index.js";
import { COMM_LAYER } from "../../../src/widgets/comm.js";
import { printQuickInfo } from "tslab/dist/inspect.js";
import { mountFiles, NOTEBOOK_DIR, PACKAGE_ROOT } from "./files.js";
import { provideModule } from "./node/module.js";
import { VERSION } from "./node/kernelspec.js";

/** The worker's global scope, as far as this file uses it (tsconfig's lib declares no DOM). */
interface WorkerScope {
  /** The page names the worker by the kernel's folder on the site: `{ "location": "ru" }`. */
  readonly name: string;
  postMessage(message: unknown): void;
  onmessage: ((e: { data: HostToChild }) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;

/** Magics the browser kernel lacks (`why`): a clear error instead of "unknown magic". */
function needsInstalledKernel(name: string, kind: Magic["kind"], why: string): Magic {
  const text = `%${name} needs the installed kernel (npm install -g gradlab): ${why}`;
  return {
    name,
    kind,
    usage: `%${name} ...`,
    help: text,
    run: () => {
      throw new Error(text);
    },
  };
}

const magicModules: (Magic | Magic[])[] = [
  backprop,
  forward,
  gradcheck,
  graph,
  interact,
  language,
  lsmagic,
  plot,
  precision,
  render,
  time,
  who,
];

/** The kernel's log: the worker's own console (the browser's developer tools), which cells' `console` no longer reaches. */
const log = console.warn.bind(console);

let current = 0;
const send = (m: ChildToHost): void => scope.postMessage(m);

/** What cells print: `process.stdout` / `process.stderr` and `console`, as stream outputs of the request being handled. */
function captureStreams(): void {
  const stream = (name: "stdout" | "stderr") => ({
    write(chunk: string | Uint8Array): boolean {
      const text = typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      if (text) send({ type: "stream", id: current, name, text });
      return true;
    },
  });
  const proc = { stdout: stream("stdout"), stderr: stream("stderr"), env: {}, browser: true };
  (globalThis as Record<string, unknown>).process = proc;
  const format = (args: unknown[]): string => args.map((a) => (typeof a === "string" ? a : inspectValue(a, 2))).join(" ") + "\n";
  const c = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const name of ["log", "info", "debug"]) c[name] = (...args) => void proc.stdout.write(format(args));
  for (const name of ["warn", "error", "trace"]) c[name] = (...args) => void proc.stderr.write(format(args));
}

/** Comm buffers cross to the page in base64, as they cross the Node kernel's IPC (kernel/engine/ipc.ts). */
const toBase64 = (b: Uint8Array): string => {
  let text = "";
  for (const byte of b) text += String.fromCharCode(byte);
  return btoa(text);
};
const fromBase64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

const fetchJson = async (file: string): Promise<unknown> => (await fetch(new URL(file, import.meta.url))).json();

async function start(): Promise<void> {
  const [pack, languages] = (await Promise.all([fetchJson("./compiler-files.json"), fetchJson("./languages.json")])) as [
    Record<string, string>,
    Record<string, string>,
  ];
  mountFiles(pack);
  // The language of the folder's notebooks (the build found it as the Node kernel does for its working directory).
  const { location = "" } = JSON.parse(scope.name || "{}") as { location?: string };
  setLanguage(languages[location] ?? "en");
  provideModule("gradlab", gradlab, `${PACKAGE_ROOT}/dist/src/index.js`);
  captureStreams();

  const display = createDisplay({
    display: (data, metadata, displayId, update) => send({ type: "display", id: current, data, metadata, displayId, update }),
    clear: (wait) => send({ type: "clear", id: current, wait }),
  });
  // The Node executor's comm layer (the library's widgets find it at COMM_LAYER, as in the Node kernel).
  const comms = new CommManager(
    (msgType, content, metadata, buffers) =>
      send({ type: "comm", id: current, msgType, content, metadata, buffers: buffers.map(toBase64) }),
    log,
  );
  (globalThis as Record<symbol, unknown>)[COMM_LAYER] = comms;
  const executor = new Executor(NOTEBOOK_DIR, display, createTslabShim(display, { gradlab: VERSION }));
  executor.owner = () => current;
  const registry = new MagicRegistry([
    ...magicModules.flat(),
    needsInstalledKernel("sh", "both", "a browser has no shell"),
    needsInstalledKernel("npm", "line", "a browser has no packages to install"),
    needsInstalledKernel("writefile", "cell", "the browser kernel has no files"),
  ]);
  const magics = async () => ({ registry, errors: [] as string[] });
  const env: CellEnv = { executor, display, magics };

  /**
   * One comm message of the front end, handled on arrival (not behind requests), as the Node
   * executor does: while idle and while a cell awaits. Its outputs are parented to it; an error in
   * a handler becomes a stderr stream on it.
   */
  const handleComm = async (msg: Extract<HostToChild, { type: "comm" }>): Promise<void> => {
    const outer = current;
    current = msg.id;
    let settled: Promise<void>;
    try {
      settled = comms.receive(msg.msgType, msg.content, msg.metadata, msg.buffers.map(fromBase64));
    } catch (e) {
      settled = Promise.reject(e);
    } finally {
      current = outer;
    }
    try {
      await settled;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const name = e instanceof CellError ? e.content.ename : err.name;
      send({ type: "stream", id: msg.id, name: "stderr", text: `${name}: ${err.message}\n` });
    }
    send({ type: "comm-done", id: msg.id });
  };

  const handle = async (msg: HostToChild): Promise<void> => {
    if (msg.type === "exit" || msg.type === "comm") return;
    current = msg.id;
    executor.resetInterrupt();
    try {
      if (msg.type === "execute") {
        const { payload, result } = await executeCell(env, msg.code, msg.executionCount, msg.silent);
        send({ type: "done", id: msg.id, ok: true, reply: { payload }, ...(result ? { result } : {}) });
      } else if (msg.type === "complete") {
        const c = registry.complete(msg.code, msg.cursor) ?? executor.complete(msg.code, msg.cursor);
        send({
          type: "done",
          id: msg.id,
          ok: true,
          reply: { matches: c.candidates, cursor_start: c.start, cursor_end: c.end, metadata: {} },
        });
      } else {
        const magic = registry.at(msg.code, msg.cursor);
        const info = magic ? undefined : executor.inspect(msg.code, msg.cursor);
        const text = magic ? registry.helpText(magic) : info && printQuickInfo(info);
        send({ type: "done", id: msg.id, ok: true, reply: { found: !!text, data: text ? { "text/plain": text } : {}, metadata: {} } });
      }
    } catch (e) {
      let error: ErrorContent;
      if (e instanceof CellError) error = e.content;
      else {
        const err = e instanceof Error ? e : new Error(String(e));
        error = { ename: err.name, evalue: err.message, traceback: [`${err.name}: ${err.message}`] };
      }
      send({ type: "done", id: msg.id, ok: false, error });
    }
  };

  // One request at a time, in arrival order, as the Node executor's request lane.
  let queue = Promise.resolve();
  scope.onmessage = ({ data }) => {
    if (data.type === "comm") void handleComm(data);
    else queue = queue.then(() => handle(data));
  };
  executor.warm();
  send({ type: "ready" });
}

start().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  scope.postMessage({ type: "failed", error: `${err.name}: ${err.message}` });
});
