/// <reference lib="dom" />
/**
 * @file The two hosts of the cell engine behind one interface, each spoken to in the messages of
 * kernel/engine/ipc.ts: the Node executor child (forked with Node IPC and a lifeline pipe, as the
 * protocol process forks it, from dist/) and the browser's Web Worker (the built site's worker
 * bundle, created by a small page in headless Debian Chromium). The tests of the engine run the
 * same requests through both.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ChildToHost, HostToChild } from "../../kernel/engine/ipc.js";
import { serveStatic, type StaticServer } from "../../bench/static-server.js";
import { assertBuilt, REPO } from "./build.js";
import { launch, type Browser } from "./chromium.js";

/** A request without its id (the adapter numbers them). */
export type Request = HostToChild extends infer M
  ? M extends { id: number; type: "execute" | "complete" | "inspect" }
    ? Omit<M, "id">
    : never
  : never;
/** A front-end comm message without its id. */
export type CommRequest = Omit<Extract<HostToChild, { type: "comm" }>, "id" | "type">;
/** A message of the host about one request or comm message (every ChildToHost but `ready`). */
export type HostMessage = Exclude<ChildToHost, { type: "ready" }>;

/** One host of the engine. */
export interface EngineHost {
  readonly name: "node" | "browser";
  /** Start the host; resolves on its `ready`. */
  start(): Promise<void>;
  /** Send a request; the messages it produced, in order, up to and including its `done`. */
  request(req: Request): Promise<HostMessage[]>;
  /** Send a front-end comm message; the messages it produced, up to and including its `comm-done`. */
  comm(msg: CommRequest): Promise<HostMessage[]>;
  stop(): Promise<void>;
}

/** The collecting common to both hosts: messages by id until the one that ends the exchange. */
class Exchanges {
  private nextId = 1;
  private readonly open = new Map<
    number,
    { got: HostMessage[]; end: HostMessage["type"]; resolve(m: HostMessage[]): void; reject(e: Error): void }
  >();
  private started: { ok(): void; fail(e: Error): void } | undefined;
  /** Settles on the host's `ready`, or rejects on its `failed` (the worker could not start). */
  readonly ready = new Promise<void>((ok, fail) => (this.started = { ok, fail }));

  receive(m: ChildToHost | { type: "failed"; error: string }): void {
    if (m.type === "failed") return this.fail(new Error(`the host failed: ${m.error}`));
    if (m.type === "ready") return this.started?.ok();
    const x = this.open.get(m.id);
    if (!x) return; // (late output of a finished request: not part of any exchange here)
    x.got.push(m);
    if (m.type === x.end) {
      this.open.delete(m.id);
      x.resolve(x.got);
    }
  }

  begin(end: "done" | "comm-done", post: (id: number) => void): Promise<HostMessage[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.open.set(id, { got: [], end, resolve, reject });
      post(id);
    });
  }

  /** The host is gone: what waits for it fails now. */
  fail(e: Error): void {
    this.started?.fail(e);
    for (const x of this.open.values()) x.reject(e);
    this.open.clear();
  }
}

/** The executor's modules in dist/ that start it as the protocol process does. */
async function executorCommand(): Promise<string[]> {
  const dist = (p: string) => import(pathToFileURL(join(REPO, "dist", p)).href);
  const { executorFlags } = (await dist("kernel/protocol/host.js")) as typeof import("../../kernel/protocol/host.js");
  const { memoryLimits } = (await dist("kernel/node/limits.js")) as typeof import("../../kernel/node/limits.js");
  const { findSnapshot } = (await dist("kernel/node/snapshot-blob.js")) as typeof import("../../kernel/node/snapshot-blob.js");
  const flags = executorFlags(memoryLimits());
  const snapshot = findSnapshot(flags);
  return [...flags, ...(snapshot ? ["--snapshot-blob", snapshot] : []), join(REPO, "dist", "kernel", "node", "child.js")];
}

/**
 * The Node executor child: Node IPC on fd 3, the lifeline on fd 4 (its EOF ends the executor),
 * in a process group of its own, working directory a fresh empty folder, English.
 */
export function nodeHost(): EngineHost {
  const x = new Exchanges();
  let child: ChildProcess | undefined;
  const cwd = mkdtempSync(join(tmpdir(), "gradlab-engine-node-"));
  let log = "";
  return {
    name: "node",
    async start() {
      assertBuilt(["src", "kernel"]);
      const args = await executorCommand();
      child = spawn(process.execPath, args, {
        cwd,
        detached: true,
        // (stderr: the executor's log, which cells' streams do not reach)
        stdio: ["ignore", "ignore", "pipe", "ipc", "pipe"],
        env: { ...process.env, GRADLAB_LIFELINE_FD: "4", GRADLAB_KERNEL_PID: String(process.pid), GRADLAB_LANGUAGE: "en" },
      });
      child.stderr!.setEncoding("utf8").on("data", (text: string) => (log += text));
      child.on("message", (m: ChildToHost) => x.receive(m));
      child.once("exit", (code, signal) => x.fail(new Error(`the executor exited (${signal ?? code}):\n${log}`)));
      await x.ready;
    },
    request: (req) => x.begin("done", (id) => child!.send({ ...req, id } as HostToChild)),
    comm: (msg) => x.begin("comm-done", (id) => child!.send({ type: "comm", id, ...msg } satisfies HostToChild)),
    async stop() {
      if (child?.pid !== undefined && child.exitCode === null) {
        const gone = new Promise((ok) => child!.once("exit", ok));
        process.kill(-child.pid, "SIGKILL");
        await gone;
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

/** The built site (scripts/build-site.mjs), built first unless it is up to date. */
export const SITE = join(REPO, "out", "site");

/** The page the worker is made on: same origin as the site, so the module worker may load from it. */
const PAGE = "/engine-hosts.html";

/**
 * The browser's Web Worker: the site's worker bundle (build/gradlab/worker.js) made by a blank
 * page of the site's origin in headless Chromium, English (the site's top folder); its messages
 * reach this process through an exposed function.
 */
export function browserHost(): EngineHost {
  const x = new Exchanges();
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  let post: (m: HostToChild) => Promise<void> = async () => undefined;
  return {
    name: "browser",
    async start() {
      assertBuilt(["src", "kernel"]);
      const built = spawnSync(process.execPath, [join(REPO, "scripts", "build-site.mjs"), "--out", SITE], { encoding: "utf8" });
      if (built.status !== 0) throw new Error(`build-site failed:\n${built.stdout}\n${built.stderr}`);
      server = await serveStatic(SITE);
      browser = await launch();
      const page = await browser.context.newPage();
      await page.route(`${server.origin}${PAGE}`, (route) =>
        route.fulfill({
          contentType: "text/html",
          // Cross-origin isolated as the site is served: the worker's cells get the interrupt checks.
          headers: { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" },
          body: '<!doctype html><meta charset="utf-8"><title>engine</title>',
        }),
      );
      await page.goto(`${server.origin}${PAGE}`);
      await page.exposeFunction("toHost", (m: ChildToHost) => x.receive(m));
      await page.evaluate(() => {
        const w = new Worker("/build/gradlab/worker.js", { type: "module", name: JSON.stringify({ location: "" }) });
        const win = window as unknown as { toHost(m: unknown): void; engine: Worker };
        // The page's first message (kernel/browser/page/kernel.ts), once the worker listens: the interrupt flag.
        const flag = crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
        w.onmessage = (e: MessageEvent<{ type: string }>) =>
          e.data.type === "listening" ? w.postMessage({ type: "setup", flag }) : win.toHost(e.data);
        w.onerror = (e) => win.toHost({ type: "failed", error: e.message });
        win.engine = w;
      });
      if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error("the engine's page is not cross-origin isolated");
      post = (m) => page.evaluate((m) => (window as unknown as { engine: Worker }).engine.postMessage(m), m);
      await x.ready;
    },
    request: (req) => x.begin("done", (id) => void post({ ...req, id } as HostToChild)),
    comm: (msg) => x.begin("comm-done", (id) => void post({ type: "comm", id, ...msg })),
    async stop() {
      await browser?.close();
      await server?.close();
    },
  };
}
