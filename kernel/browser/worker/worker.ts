/**
 * @file The browser host of the cell engine: a module Web Worker that runs a notebook's cells for
 * the site's JupyterLite kernel (kernel/browser/page/kernel.ts). It answers the same messages as
 * the Node executor child (kernel/engine/ipc.ts) with the same engine (kernel/engine/): every
 * request and comm message goes to the engine's Dispatch, as in kernel/node/serve.ts; this file
 * only queues them, and fills in what the browser has instead of Node. The magics are those that
 * need no shell. `import ... from "gradlab"` is the library bundled into this worker (its browser
 * platform).
 *
 * What only Node has is filled in by the bundle (scripts/build-site.mjs maps the Node built-ins
 * the engine imports, and the compiler's loader, to kernel/browser/worker/node/): the compiler
 * reads its files (the lib and `@types/node` declarations, gradlab's own) from a pack fetched
 * beside this worker (files.ts), cells run by an indirect eval, and what cells print to `console`
 * or `process.stdout` becomes stream output, as the Node executor's captured streams do.
 */
import * as gradlab from "../../../src/index.js";
import { createTslabShim } from "../../engine/display.js";
import { Dispatch } from "../../engine/dispatch.js";
import { setEngineBundle, systemExit, uncaughtReport } from "../../engine/errors.js";
import { Executor } from "../../engine/executor.js";
import type { ChildToHost, HostToChild } from "../../engine/ipc.js";
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
import { setLanguage, tr } from "../../../src/i18n/index.js";
import { printQuickInfo } from "tslab/dist/inspect.js";
import { mountFiles, NOTEBOOK_DIR, PACKAGE_ROOT } from "./files.js";
import { provideModule } from "./node/module.js";
import { VERSION } from "./node/kernelspec.js";

/**
 * What the page sends: the executor's requests (kernel/engine/ipc.ts), and
 * - `setup`, its first message: the interrupt flag when the page is cross-origin isolated (an
 *   Int32Array over a SharedArrayBuffer; cells then check it in every loop and function, so an
 *   interrupt stops them and keeps the notebook's state), else none;
 * - `interrupt`: reject a pending `await` of the running cell (the flag stops code that runs).
 */
export type PageToWorker = HostToChild | { type: "setup"; flag?: Int32Array } | { type: "interrupt" };

/**
 * What the worker sends: `listening` first, once it takes messages (the page then sends `setup`:
 * a message posted to a module worker before its script has run can be dropped), the executor's
 * outputs and answers, `failed` when it cannot start, and before `ready` the page's own texts in
 * the notebook's language ({@link pageTexts}).
 */
export type WorkerToPage = ChildToHost | { type: "listening" } | { type: "failed"; error: string } | { type: "texts"; texts: PageTexts };

/** The page's messages when it restarts the worker to stop a cell, in the notebook's language. */
export interface PageTexts {
  /** No flag (the page is not cross-origin isolated): a running cell is stopped only by a restart. */
  notIsolated: string;
  /** The cell did not stop on the flag within the grace period (`{seconds}`): it runs code outside the cells. */
  outsideCells: string;
}

/** The worker's global scope, as far as this file uses it (tsconfig's lib declares no DOM). */
interface WorkerScope {
  /** The page names the worker by the kernel's folder on the site: `{ "location": "ru" }`. */
  readonly name: string;
  postMessage(message: unknown): void;
  onmessage: ((e: { data: PageToWorker }) => void) | null;
  addEventListener(type: "error", listener: (e: { error: unknown; message: string; preventDefault(): void }) => void): void;
  addEventListener(type: "unhandledrejection", listener: (e: { reason: unknown; preventDefault(): void }) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

/** The page's `setup`, and what it sent before the worker was ready (handled once it is). */
const early: PageToWorker[] = [];
const setup = new Promise<Extract<PageToWorker, { type: "setup" }>>((resolve) => {
  scope.onmessage = ({ data }) => (data.type === "setup" ? resolve(data) : early.push(data));
});
scope.postMessage({ type: "listening" } satisfies WorkerToPage);

/** The texts of {@link PageTexts}. */
const pageTexts = (): PageTexts => ({
  notIsolated: tr(
    "The kernel was restarted to stop the cell, and your variables are lost: this page is not cross-origin isolated, so code that runs can only be stopped by restarting the kernel's worker. Served with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp, an interrupt stops a cell and keeps the variables (see the site's documentation).",
  ),
  outsideCells: tr(
    "The kernel was restarted to stop the cell, and your variables are lost: the cell did not stop within {seconds} s of the interrupt because it was running code outside the notebook's cells (a library's loop, for instance), which an interrupt cannot stop; only restarting the kernel's worker can.",
  ),
});

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

const send = (m: ChildToHost): void => scope.postMessage(m);

/**
 * The error of a cell's call that would end the kernel, its stack starting at the cell's frame:
 * the engine's frames above it (which the Node executor's paths tell apart) are not the library's.
 */
function stop(what: string, caller: (...args: never[]) => unknown): Error {
  const e = systemExit(what);
  Error.captureStackTrace(e, caller);
  return e;
}

/** What cells print: `process.stdout` / `process.stderr` and `console`, as stream outputs of the message being handled. */
function captureStreams(dispatch: Dispatch): void {
  const stream = (name: "stdout" | "stderr") => ({
    write(chunk: string | Uint8Array): boolean {
      const text = typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      if (text) send({ type: "stream", id: dispatch.current, name, text });
      return true;
    },
  });
  const proc = {
    stdout: stream("stdout"),
    stderr: stream("stderr"),
    env: {},
    browser: true,
    // A cell cannot end the kernel, as in the Node executor (kernel/node/guards.ts).
    exit: function exit(code?: number | string): never {
      throw stop(`process.exit(${code ?? ""})`, exit);
    },
    abort: function abort(): never {
      throw stop("process.abort()", abort);
    },
  };
  (globalThis as Record<string, unknown>).process = proc;
  const format = (args: unknown[]): string => args.map((a) => (typeof a === "string" ? a : inspectValue(a, 2))).join(" ") + "\n";
  const c = console as unknown as Record<string, (...args: unknown[]) => void>;
  for (const name of ["log", "info", "debug"]) c[name] = (...args) => void proc.stdout.write(format(args));
  for (const name of ["warn", "error", "trace"]) c[name] = (...args) => void proc.stderr.write(format(args));
  // An error raised outside any cell (a timer, a promise nobody awaited) goes to the output of the
  // request running or run last, as in the Node executor (guards.ts), not to the browser's console.
  scope.addEventListener("error", (e) => {
    e.preventDefault();
    proc.stderr.write(uncaughtReport("exception", e.error ?? e.message));
  });
  scope.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    proc.stderr.write(uncaughtReport("rejection", e.reason));
  });
}

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
  const dispatch = new Dispatch({ send, log, quickInfo: printQuickInfo });
  captureStreams(dispatch);
  // As the Node executor: a deep library stack keeps the cell's own frames; this bundle's frames
  // are the engine's or the library's (errors.ts).
  Error.stackTraceLimit = 100;
  setEngineBundle(import.meta.url);
  const executor = new Executor(NOTEBOOK_DIR, dispatch.display, createTslabShim(dispatch.display, { gradlab: VERSION }));
  const registry = new MagicRegistry([
    ...magicModules.flat(),
    needsInstalledKernel("sh", "both", "a browser has no shell"),
    needsInstalledKernel("npm", "line", "a browser has no packages to install"),
    needsInstalledKernel("writefile", "cell", "the browser kernel has no files"),
  ]);
  dispatch.attach(executor, async () => ({ registry, errors: [] }));
  const { flag } = await setup;
  if (flag) executor.checkInterrupts(flag);

  // One request at a time, in arrival order, as the Node executor's request lane.
  // Comm messages are handled on arrival (while idle and while a cell awaits), as the Node host's comm lane does.
  let queue = Promise.resolve();
  const receive = (data: PageToWorker): void => {
    if (data.type === "exit" || data.type === "setup") return;
    if (data.type === "comm") void dispatch.comm(data);
    // (code that runs has seen the flag; this rejects the running cell's pending `await`)
    else if (data.type === "interrupt") executor.interrupt();
    else queue = queue.then(() => dispatch.request(data));
  };
  scope.onmessage = ({ data }) => receive(data);
  for (const data of early.splice(0)) receive(data);
  executor.warm();
  scope.postMessage({ type: "texts", texts: pageTexts() } satisfies WorkerToPage);
  send({ type: "ready" });
}

start().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  scope.postMessage({ type: "failed", error: `${err.name}: ${err.message}` });
});
