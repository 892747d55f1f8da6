/**
 * @file `node:fs` in the worker (scripts/build-site.mjs maps it here): the kernel's modules read
 * the compiler's files (files.ts) through it; nothing can be written.
 */
import { directories, directoryExists, fileExists, readFile } from "../files.js";

function noEntry(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${path}' (the browser kernel has only its own files)`), {
    code: "ENOENT",
  });
}

export function existsSync(path: string): boolean {
  return fileExists(path) || directoryExists(path);
}

/** Files and folders have mtime 0: none ever changes. */
export function statSync(
  path: string,
  opts?: { throwIfNoEntry?: boolean },
): { mtimeMs: number; isDirectory(): boolean; isFile(): boolean } | undefined {
  if (existsSync(path)) return { mtimeMs: 0, isDirectory: () => directoryExists(path), isFile: () => fileExists(path) };
  if (opts?.throwIfNoEntry === false) return undefined;
  throw noEntry(path);
}

export function readFileSync(path: string): string {
  const text = readFile(path);
  if (text === undefined) throw noEntry(path);
  return text;
}

export function readdirSync(path: string): string[] {
  if (!directoryExists(path)) throw noEntry(path);
  return directories(path);
}

function readOnly(): never {
  throw new Error("the browser kernel cannot write files: run the notebook with the installed kernel (npm install -g gradlab)");
}
export const writeFileSync = readOnly;
export const appendFileSync = readOnly;
export const mkdirSync = readOnly;
export const renameSync = readOnly;
export const rmSync = readOnly;
export const mkdtempSync = readOnly;

export default {
  existsSync,
  statSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  appendFileSync,
  mkdirSync,
  renameSync,
  rmSync,
  mkdtempSync,
};
