/** @file A static file server on the loopback interface, for the test and the benchmark that open the built site in Chromium. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".ipynb": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".png": "image/png",
  ".map": "application/json",
};

/** A running server: its origin, every path requested, and `close()`. */
export interface StaticServer {
  origin: string;
  requested: string[];
  close(): Promise<void>;
}

/**
 * The headers that make the site's pages cross-origin isolated (`crossOriginIsolated`, so the
 * page can share memory with the kernel's worker and an interrupt keeps the notebook's state;
 * docs/development.md, "Publishing the site").
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

/**
 * Serves the files under `dir` (a folder's index.html for the folder) on 127.0.0.1, a free port;
 * with `maxAge` (seconds), browsers may cache them that long, as on a static host; with the
 * {@link ISOLATION_HEADERS} unless `isolated` is false (as a host that cannot set headers).
 * @example const s = await serveStatic("out/site"); await page.goto(`${s.origin}/lab/`); await s.close();
 */
export async function serveStatic(dir: string, maxAge = 0, { isolated = true } = {}): Promise<StaticServer> {
  const requested: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    requested.push(path);
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" };
    if (maxAge > 0) headers["Cache-Control"] = `max-age=${maxAge}`;
    if (isolated) Object.assign(headers, ISOLATION_HEADERS);
    res.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    origin: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requested,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
