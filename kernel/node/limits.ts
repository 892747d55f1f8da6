/**
 * @file The executor's memory limits, chosen by the protocol process before it spawns one.
 *
 * One budget bounds all the executor's memory (RLIMIT_DATA: JavaScript heap, Float64Array
 * storage, WebAssembly memory): past it an allocation fails in the cell that asked (a
 * `RangeError`, state kept) instead of the machine's OOM killer picking some other process on
 * a shared server. The JavaScript heap gets half of it, at most 4 GiB (V8's usual ceiling); the
 * watchdog (watchdog.ts) stops a cell whose live objects near that limit.
 */
import { readFileSync } from "node:fs";
import { totalmem } from "node:os";

const UNITS: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
/** Below this the executor cannot even load the TypeScript compiler. */
export const MIN_BUDGET = 512 * 2 ** 20;
const MAX_HEAP = 4 * 2 ** 30;

/**
 * Bytes in a size such as `4G`, `512M`, `1.5GiB`, `2gb` or `1073741824`.
 *
 * @example
 * parseSize("1.5G") // 1610612736
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new Error(`expected a size such as 4G, 512M or a number of bytes, got ${JSON.stringify(text)}`);
  return Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}

/** {@link parseSize}, or undefined for text that is not a size. */
function sizeOrUndefined(text: string): number | undefined {
  try {
    return parseSize(text);
  } catch {
    return undefined;
  }
}

/** What the limits are computed from (the real machine by default; tests pass their own). */
export interface MemoryReadings {
  env: NodeJS.ProcessEnv;
  /** Physical memory in bytes. */
  total: number;
  /** The cgroup's memory.max in bytes, when one is set. */
  cgroupMax?: number;
}

/** The executor's memory limits. */
export interface MemoryLimits {
  /** RLIMIT_DATA in bytes. */
  budget: number;
  /** V8's --max-old-space-size, in MB. */
  heapMb: number;
  /** Where the budget came from, for the kernel log. */
  source: string;
}

/** The current machine's readings. */
export function machineReadings(env: NodeJS.ProcessEnv = process.env): MemoryReadings {
  let cgroupMax: number | undefined;
  try {
    const raw = readFileSync("/sys/fs/cgroup/memory.max", "utf8").trim();
    if (/^\d+$/.test(raw)) cgroupMax = Number(raw);
  } catch {
    // no cgroup v2 limit
  }
  return { env, total: totalmem(), cgroupMax };
}

/**
 * The budget is `GRADLAB_MEMORY_LIMIT` when set, otherwise half of the smallest of physical
 * memory, the cgroup's limit and JupyterHub's `MEM_LIMIT` (bytes, or a size such as `2G`).
 *
 * @example
 * memoryLimits({ env: {}, total: 24 * 2 ** 30 }) // { budget: 12 GiB, heapMb: 4096, source: "half of RAM; GRADLAB_MEMORY_LIMIT changes it" }
 */
export function memoryLimits(r: MemoryReadings = machineReadings()): MemoryLimits {
  let budget: number;
  let source: string;
  const asked = r.env.GRADLAB_MEMORY_LIMIT;
  if (asked !== undefined && asked.trim() !== "") {
    try {
      budget = parseSize(asked);
    } catch (e) {
      throw new Error(`GRADLAB_MEMORY_LIMIT: ${(e as Error).message}`, { cause: e });
    }
    if (budget < MIN_BUDGET) throw new Error(`GRADLAB_MEMORY_LIMIT: ${asked} is too small; the executor needs at least 512M`);
    source = "set by GRADLAB_MEMORY_LIMIT";
  } else {
    const candidates: [number, string][] = [[r.total, "RAM"]];
    if (r.cgroupMax !== undefined) candidates.push([r.cgroupMax, "the cgroup's memory.max"]);
    // JupyterHub's spawners give bytes; a size such as 2G (set by hand) reads the same. One that
    // is neither is left out, and the banner says so: the platform's value must not stop a kernel.
    const hubText = r.env.MEM_LIMIT?.trim();
    let ignored = "";
    if (hubText) {
      const hub = sizeOrUndefined(hubText);
      if (hub !== undefined && hub > 0) candidates.push([hub, "MEM_LIMIT"]);
      else ignored = `; MEM_LIMIT=${hubText} ignored: expected a number of bytes or a size such as 2G`;
    }
    const [least, name] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a));
    budget = Math.max(MIN_BUDGET, Math.floor(least / 2));
    source = `half of ${name}; GRADLAB_MEMORY_LIMIT changes it${ignored}`;
  }
  const heapMb = Math.floor(Math.min(MAX_HEAP, budget / 2) / 2 ** 20);
  return { budget, heapMb, source };
}

/**
 * The executor's largest young-generation semi-space (MB) for a heap of `heapMb`: the 16 MB V8
 * gives a full-size heap, at most a thirty-second of the heap.
 *
 * @example
 * semiSpaceMb(512) // 16
 */
export function semiSpaceMb(heapMb: number): number {
  return Math.max(1, Math.min(16, Math.floor(heapMb / 32)));
}

/** The keys of {@link mallocTunables}. */
const TRIM = "glibc.malloc.trim_threshold";
const MMAP = "glibc.malloc.mmap_threshold";
/** The executor's GLIBC_TUNABLES on their way through the shell that sets its limits (host.ts). */
export const EXECUTOR_TUNABLES = "GRADLAB_EXECUTOR_TUNABLES";
/** A user's own GLIBC_TUNABLES, which the executor gives back to cells (child.ts). */
export const USER_TUNABLES = "GRADLAB_USER_GLIBC_TUNABLES";
/**
 * The executor's glibc malloc arenas: at most 2 (`MALLOC_ARENA_MAX`), not glibc's 8 per core. Its
 * 13 threads (V8's workers, libuv's, the watchdog's and the library's workers) each held an arena
 * of their own, 14 MB of its memory after notebook 04's first cells, with no CPU time to show for it.
 */
export const ARENA_MAX = "2";
/** A user's own MALLOC_ARENA_MAX, which the executor gives back to cells (child.ts). */
export const USER_ARENA_MAX = "GRADLAB_USER_MALLOC_ARENA_MAX";

/**
 * The executor's GLIBC_TUNABLES: glibc's malloc keeps up to min(64 MB, budget / 16) of freed
 * memory instead of handing it back to the system at once, and serves blocks below
 * min(32 MB, budget / 32) from its heap instead of fresh mappings. The user's own tunables come
 * first and win (`existing`; glibc leaves a process only the first entry of its own
 * GLIBC_TUNABLES to read back); other C libraries ignore the variable.
 *
 * Why: Float64Array storage is malloc'ed, and a tensor of 1 000 to 100 000 entries freed by a
 * collection went back to the system, so the next one touched fresh pages: a page fault per
 * 4 KB, slow on a virtual machine (perf: the page-fault handler and memset on fresh pages led
 * the profile of `new Float64Array(1000)`). glibc raises these thresholds by itself once it frees
 * a large block, so a notebook sped up only after a while; set from the start, the first calls
 * run as fast as the later ones (docs/performance.md has the figures).
 *
 * @example
 * mallocTunables(2 ** 30, undefined) // "glibc.malloc.trim_threshold=67108864:glibc.malloc.mmap_threshold=33554432"
 */
export function mallocTunables(budget: number, existing: string | undefined): string {
  const mine: [string, number][] = [
    [TRIM, Math.min(64 * 2 ** 20, Math.floor(budget / 16))],
    [MMAP, Math.min(32 * 2 ** 20, Math.floor(budget / 32))],
  ];
  const theirs = (existing ?? "").split(":").filter((s) => s !== "");
  const set = new Set(theirs.map((s) => s.split("=")[0]));
  return [...theirs, ...mine.filter(([k]) => !set.has(k)).map(([k, v]) => `${k}=${v}`)].join(":");
}
