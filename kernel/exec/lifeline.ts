/**
 * @file The first thing the executor runs (child.ts imports it before anything heavy): starts
 * the watchdog thread (watchdog.ts) that ties this process's life to the kernel's and stops
 * runaway cells, and installs the signal handler early so an interrupt during start-up cannot
 * end the process. Imports only Node built-ins, so it runs within milliseconds of spawn.
 */
import v8 from "node:v8";
import { Worker } from "node:worker_threads";

/** Slots of the Int32Array shared between the main thread and the watchdog. */
export const SLOT = {
  /** Last main-thread tick, in ms since `origin`. */
  tick: 0,
  /** 1 while a cell is in its asynchronous phase (awaiting). */
  asyncPhase: 1,
  /** 1 while a request (cell, completion, inspection) runs. */
  busy: 2,
  /** Why the watchdog last stopped the running code (0: it did not). */
  stopReason: 3,
  /** The heap in use (MB) when the watchdog stopped a cell for memory. */
  usedMb: 4,
  /** Counts the terminations the watchdog asked for. */
  terminations: 5,
} as const;
/** `SLOT.stopReason` value: the JavaScript heap neared its limit. */
export const STOP_MEMORY = 1;

/** What the watchdog thread is started with. */
export interface WatchdogData {
  /** This process (the executor). */
  pid: number;
  /** The protocol process that spawned us (0: unknown). */
  kernelPid: number;
  /** The lifeline pipe from the protocol process (-1: none). */
  fd: number;
  shared: SharedArrayBuffer;
  origin: number;
  /** V8's old-space limit in bytes. */
  heapLimit: number;
}

/** Why the running code was stopped, as the main thread sees it. */
export type StopCause = { reason: "memory"; usedMb: number; limitMb: number };

/**
 * The main thread's handle on the watchdog.
 *
 * @example
 * const lifeline = startLifeline();
 * lifeline.busy(true); try { ... } finally { lifeline.busy(false); }
 */
export interface Lifeline {
  /** A request starts (true) or ends (false): the heap is watched meanwhile. */
  busy(active: boolean): void;
  /** A cell enters (true) or leaves (false) its asynchronous phase. */
  asyncPhase(active: boolean): void;
  /** Why the watchdog stopped the running code since the last call, if it did. */
  takeStopCause(): StopCause | undefined;
  /** How many times the watchdog has terminated JavaScript on the main thread. */
  terminations(): number;
  /** Called on SIGINT once the executor is ready (until then an interrupt is ignored). */
  onInterrupt: () => void;
}

/**
 * Start the watchdog thread. The kernel passes `GRADLAB_KERNEL_PID`, the lifeline pipe's fd
 * (`GRADLAB_LIFELINE_FD`) and the heap limit (`GRADLAB_HEAP_MB`) at spawn; without them (the
 * executor run by hand) only the heap is watched.
 */
export function startLifeline(env: NodeJS.ProcessEnv = process.env): Lifeline {
  const shared = new Int32Array(new SharedArrayBuffer(4 * 8));
  const origin = Date.now();
  let onSigint: () => void = () => undefined;
  const tick = () => Atomics.store(shared, SLOT.tick, Date.now() - origin);
  tick();
  setInterval(() => {
    tick();
    // A termination that lands while Node's breakOnSigint wrapper has the SIGINT listeners
    // removed leaves them removed (and the next SIGINT would end the process): put ours back.
    // (A timer never runs inside that wrapper, so no listener is ever missing here by design.)
    if (process.listenerCount("SIGINT") === 0) process.on("SIGINT", onSigint);
  }, 50).unref();
  const fd = Number(env.GRADLAB_LIFELINE_FD);
  const data: WatchdogData = {
    pid: process.pid,
    kernelPid: Number(env.GRADLAB_KERNEL_PID) || 0,
    fd: Number.isInteger(fd) ? fd : -1,
    shared: shared.buffer as SharedArrayBuffer,
    origin,
    // The kernel passes --max-old-space-size and says so; V8's own figure adds the young generation.
    heapLimit: Number(env.GRADLAB_HEAP_MB) * 2 ** 20 || v8.getHeapStatistics().heap_size_limit,
  };
  new Worker(new URL("./watchdog.js", import.meta.url), { workerData: data, stdout: false, stderr: false }).unref();
  const lifeline: Lifeline = {
    busy: (active) => {
      if (active) Atomics.store(shared, SLOT.stopReason, 0);
      Atomics.store(shared, SLOT.busy, active ? 1 : 0);
    },
    asyncPhase: (active) => {
      tick();
      Atomics.store(shared, SLOT.asyncPhase, active ? 1 : 0);
    },
    terminations: () => Atomics.load(shared, SLOT.terminations),
    takeStopCause: () => {
      if (Atomics.exchange(shared, SLOT.stopReason, 0) !== STOP_MEMORY) return undefined;
      return { reason: "memory", usedMb: Atomics.load(shared, SLOT.usedMb), limitMb: Math.round(data.heapLimit / 2 ** 20) };
    },
    onInterrupt: () => undefined,
  };
  onSigint = () => {
    tick();
    lifeline.onInterrupt();
  };
  process.on("SIGINT", onSigint);
  return lifeline;
}
