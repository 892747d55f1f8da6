/**
 * @file The script of the executor's V8 startup snapshot, run by `node --build-snapshot`
 * (snapshot.ts builds it): loads the TypeScript compiler (tslab's fork) and parses and binds the
 * declarations every cell compiles against (the lib; `@types/node` only once a cell needs it,
 * node-types.ts), so an executor started from the snapshot finds them in its heap instead of
 * loading, parsing and binding them (most of its start-up); it also parses the library's
 * declarations. It leaves them on `globalThis` under
 * `Symbol.for("gradlab.tsSnapshot")` (a `TsSnapshot`, kernel/engine/compiler/ts-loader.ts): ts-loader.ts takes the
 * compiler from there, host.ts the parsed files.
 *
 * A snapshot script may require Node's built-in modules only, so the compiler is run from its file
 * as CommonJS would run it; and it has no `exports`, which snapshot.ts gives it. What it parses is
 * given by the JSON file named in `GRADLAB_SNAPSHOT_INPUT` (a `SnapshotInput` of snapshot.ts): the
 * compiler's file, the cell compiler's options (host.ts), the library's declarations, what makes
 * a cell need `@types/node` and the shipped notebooks' cells compiled (both kept as given).
 */
import { readFileSync, statSync } from "node:fs";
import Module from "node:module";
import { dirname } from "node:path";
import vm from "node:vm";
import type * as TSModule from "@tslab/typescript-for-tslab";

type TS = typeof TSModule;
type SourceFile = TSModule.SourceFile;
type CompilerOptions = TSModule.CompilerOptions;

const input = JSON.parse(readFileSync(process.env.GRADLAB_SNAPSHOT_INPUT!, "utf8")) as {
  tsFile: string;
  /** The file whose source is run as the module tsFile (ts-loader.ts's compilerSource). */
  tsSource: string;
  options: CompilerOptions;
  dir: string;
  library: string;
  nodeTriggers: { globals: string[]; members: string[] };
  precompiled?: { bundle: [string, number, number]; files: [string, number][]; entries: [string, unknown][] };
};
const { tsFile, tsSource, options, dir } = input;
const mod = { exports: {} as TS };
// One-byte, as ts-loader.ts's oneByteSource makes it (this script may import built-in modules only).
const escaped = readFileSync(tsSource, "utf8").replace(/[^\0-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
const source = Buffer.from(escaped, "latin1").toString("latin1");
const wrapper = vm.runInThisContext(Module.wrap(source), { filename: tsSource }) as (
  exports: unknown,
  req: NodeJS.Require,
  module: unknown,
  filename: string,
  dir: string,
) => void;
wrapper.call(mod.exports, mod.exports, require, mod, tsFile, dirname(tsFile));
const ts = mod.exports;
const internals = ts as unknown as { bindSourceFile(sf: SourceFile, options: CompilerOptions): void };

const root = `${dir}/__snapshot__.ts`;
const files = new Map<string, { sf: SourceFile; mtime: number; bound: boolean }>();
const host = ts.createCompilerHost(options);
const getSourceFile = host.getSourceFile;
host.fileExists = (f) => f === root || ts.sys.fileExists(f);
host.readFile = (f) => (f === root ? "export {};\n" : ts.sys.readFile(f));
host.getSourceFile = (fileName, languageVersion, onError, fresh) => {
  const known = files.get(fileName);
  if (known) return known.sf;
  const sf = getSourceFile.call(host, fileName, languageVersion, onError, fresh);
  if (sf && fileName !== root) files.set(fileName, { sf, mtime: statSync(fileName).mtimeMs, bound: false });
  return sf;
};
// The declarations of every cell, bound: each file has the name a cell's program gives it.
ts.createProgram({ rootNames: [root], options, host });
for (const f of files.values()) {
  internals.bindSourceFile(f.sf, options);
  f.bound = true;
}
// The library's declarations, parsed only: a cell's program names them by another path (the
// notebook folder's node_modules/gradlab, host.ts) and binds them under that name.
ts.createProgram({ rootNames: [root, input.library], options, host });
const st = statSync(tsFile);
// Node gives an environment it starts from a snapshot a console without its `Console` constructor
// (console.Console, require("node:console").Console): kept here for child.ts to put back.
const pre = input.precompiled;
// The shipped notebooks' cells compiled by the build (kernel/node/precompiled.ts), by their key.
const precompiled = pre && { bundle: pre.bundle, files: pre.files, map: new Map(pre.entries), hits: 0 };
const snapshot = {
  ts,
  tsFile,
  tsSize: st.size,
  tsMtime: st.mtimeMs,
  files,
  Console: console.Console,
  nodeTriggers: input.nodeTriggers,
  precompiled,
};
(globalThis as Record<symbol, unknown>)[Symbol.for("gradlab.tsSnapshot")] = snapshot;
