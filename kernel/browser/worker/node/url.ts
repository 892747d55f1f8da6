/** @file `node:url` in the worker (scripts/build-site.mjs maps it here). */
export function pathToFileURL(path: string): URL {
  return new URL(`file://${path}`);
}
export function fileURLToPath(url: string | URL): string {
  return new URL(url).pathname;
}
export default { pathToFileURL, fileURLToPath };
