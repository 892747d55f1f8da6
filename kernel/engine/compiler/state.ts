/**
 * @file The one state object of gradlab's cell compiler, which each of its parts (host.ts,
 * full-build.ts, warm-checker.ts, emit.ts, language-service.ts) receives: the compiler host and
 * options, the caches kept across cells, the last full build and the warm checker.
 *
 * An interrupt may end a conversion anywhere (the watchdog terminates JavaScript, and no
 * `finally` runs), so every field is assigned only once its value is complete, and the warm
 * checker is unset while a conversion uses it.
 */
import type * as TS from "@tslab/typescript-for-tslab";
import type { NodeNames } from "./node-types.js";

export type Ts = typeof TS;

/** Internals of TypeScript (and of tslab's fork) that its public typings leave out. */
interface TsInternals {
  findPrecedingToken(position: number, sf: TS.SourceFile): TS.Node | undefined;
  findNextToken(previous: TS.Node, parent: TS.Node, sf: TS.SourceFile): TS.Node | undefined;
  Completions: { getCompletionsAtPositionForTslab(...args: unknown[]): TS.CompletionInfo | undefined };
  bindSourceFile(sf: TS.SourceFile, options: TS.CompilerOptions): void;
  getResolvedModule(sf: TS.SourceFile, name: string, mode: TS.ResolutionMode): TS.ResolvedModuleFull | undefined;
  setResolvedModule(sf: TS.SourceFile, name: string, resolution: TS.ResolvedModuleWithFailedLookupLocations, mode: TS.ResolutionMode): void;
}
export const internals = (ts: Ts) => ts as unknown as TsInternals;

/** Makes a file an ES module, so a cell's top-level names are its own and not globals. */
export const PREFIX = "export {};\n";

/** A cancellation token that never cancels (interrupts stop the compiler by terminating it). */
export const NO_CANCEL = { isCancellationRequested: () => false, throwIfCancellationRequested: () => undefined };

/** A parsed file kept across cells, with what decides whether it is stale. */
export interface CachedFile {
  sf: TS.SourceFile;
  /** mtime when read, for files that may change while the kernel runs (undefined: never changes). */
  mtime?: number;
  /** Under a node_modules folder: dropped together when packages are installed. */
  inNodeModules: boolean;
  /** The text read, for a local module (not under node_modules): stale when the file's text differs, whatever its mtime. */
  text?: string;
}

/**
 * The warm checker: the last program a full build made (the lib, `@types` and every module the
 * notebook imported so far, parsed, bound and merged into globals) and its type checker, which
 * later cells reuse while they need nothing that program lacks (warm-checker.ts); `cells` and
 * `chars` count what it has checked since.
 */
export interface WarmChecker {
  program: TS.Program;
  checker: TS.TypeChecker;
  cells: number;
  chars: number;
}

/**
 * The previous declarations as the warm checker sees them: declaration files linked through
 * `parent` (the cell's free names resolve in the nearest file that declares them with the meaning
 * looked for), the first holding the declarations text it was started from, each later one the
 * declarations of one cell that only added names. So a cell that adds names costs the parse of its
 * own declarations, not of all of them again, and the checker keeps each declaration once.
 * Files after the first are made only from plain declarations (`isSimpleDecl` in syntax.ts) whose
 * names are new: then a name is found where the single file of the same text would have it.
 */
export interface Chain {
  /** The warm program whose modules the files' imports were resolved against. */
  program: TS.Program;
  files: TS.SourceFile[];
  /** The declarations text the chain stands for (the `prevDecl` of the next cell). */
  text: string;
  /** Every name the files declare. */
  names: Set<string>;
  /** Whether every file holds only plain declarations. */
  simple: boolean;
  /** Whether the first file is bound (the others always are). */
  bound: boolean;
}

/** The compiler of one notebook directory: made by `createCompilerState` (host.ts). */
export interface CompilerState {
  readonly ts: Ts;
  /** The notebook directory, with `/` separators. */
  readonly cwd: string;
  /** The file of the cell in a full build, and of the previous declarations. */
  readonly srcFilename: string;
  readonly declFilename: string;
  /** Where emitted files would go (nothing is written): the cell's and side modules' output names. */
  readonly outDir: string;
  /** Whether later cells may use the warm checker (`warm` of `ConverterOptions`). */
  readonly useWarm: boolean;
  readonly host: TS.CompilerHost;
  /** A path as it is on disk (virtual packages mapped to their real folders). */
  readonly real: (p: string) => string;
  /** The options without `types`; {@link options} adds the `@types` packages found (refreshFiles). */
  readonly baseOptions: TS.CompilerOptions;
  /** The notebook folder's own type roots: their packages are included automatically (with `node` when {@link nodeTypes}). */
  readonly notebookTypeRoots: string[];
  /**
   * Whether cells are checked against `@types/node` (node-types.ts): from the start without
   * {@link nodeNames}, else from the first cell that needs it on; never unset.
   */
  nodeTypes: boolean;
  /** What makes a cell need `@types/node` (undefined: it is always there). */
  readonly nodeNames: NodeNames | undefined;
  /** The declarations of `console` cells are checked against without `@types/node` (a root file of each program then). */
  readonly globalsFilename: string;
  readonly globalsSF: TS.SourceFile;
  options: TS.CompilerOptions;
  /**
   * Module resolutions of the cells' imports (the previous cells' are resolved again for every
   * cell). Cleared after a failed cell and after installs, so a module written or installed since
   * is found.
   */
  readonly resolutions: TS.ModuleResolutionCache;
  /** Parsed files by name (lib, `@types`, modules), kept until they change on disk. */
  readonly files: Map<string, CachedFile>;
  /** The mtimes of `node_modules` and its lock file when last looked at: a change means installs. */
  nodeModulesStamp: string;
  /** The full build's declarations file and the text it was parsed from. */
  declText: string | undefined;
  declSF: TS.SourceFile | undefined;
  /** The full build's cell file. */
  srcSF: TS.SourceFile | undefined;
  /** The last full build's program (the next one reuses what did not change). */
  program: TS.Program | undefined;
  /** Side modules already emitted (re-emitted after their file changes). */
  readonly sideEmitted: Set<string>;
  /**
   * A local module that was emitted changed on disk, and the kernel has not been given its new
   * code yet: the next cell gets a full build, which emits it (and the modules that import it)
   * and binds the names earlier cells imported from it to the new module (full-build.ts).
   */
  modulesChanged: boolean;
  /** Counts the changes of local modules found on disk (`Converter.modulesStamp`). */
  modulesStamp: number;
  /** Undefined while a conversion uses it: one that an interrupt ends half-way leaves it unset. */
  warm: WarmChecker | undefined;
  /** The previous declarations as the warm checker sees them. */
  chain: Chain | undefined;
  /** Numbers the files of cells checked by the warm checker (each has a name of its own). */
  cellSeq: number;
  readonly counts: { fullBuilds: number; warmCells: number };
  /** Emit interrupt checks in the cells' loops and functions (`ConverterOptions.interruptChecks`). */
  interruptChecks: boolean;
  /** `ConverterOptions.beforeNodeBuild`. */
  beforeNodeBuild: () => void;
}
