/**
 * @file The first thing the executor runs (child.ts imports it before anything heavy): starts
 * the watchdog thread (watchdog.ts) that ties this process's life to the kernel's, stops
 * runaway code on interrupt, and stops cells before the heap runs out. Imports only Node
 * built-ins, so it runs within milliseconds of spawn.
 *
 * Interrupts never arrive as signals: the kernel writes them on the lifeline pipe, which the
 * watchdog thread reads even while this thread is blocked. (A SIGINT cannot be made safe here:
 * Node's `breakOnSigint` briefly leaves SIGINT at its default action, fatal, around every cell.)
 */
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import type { StopCause } from "../engine/executor.js";

/** Slots of the Int32Array shared between the main thread and the watchdog. */
export const SLOT = {
  /** Last main-thread tick, in ms since `origin`. */
  tick: 0,
  /** 1 while a cell is in its asynchronous phase (awaiting). */
  asyncPhase: 1,
  /** 1 while the executor works on something an interrupt must not cut short: a request, or loading. */
  busy: 2,
  /** Why the watchdog last stopped the running code (0: it did not). */
  stopReason: 3,
  /** The heap in use (MB) when the watchdog stopped a cell for memory. */
  usedMb: 4,
  /** Counts the terminations the watchdog asked for. */
  terminations: 5,
  /** The id of the request being handled (0: none). */
  request: 6,
  /** The id of the front end's comm message being handled (0: none). */
  comm: 7,
  /** 1 while the main thread ticks every {@link TICK_ACTIVE_MS} (it has work); 0 while idle, when it ticks only on a message of the watchdog. */
  beating: 8,
} as const;
/** The main thread's tick while it has work: the watchdog takes 150 ms without one as blocked. */
export const TICK_ACTIVE_MS = 50;
/** The main thread's tick while idle: only to put back a SIGINT listener a leftover timer of a cell removed. */
const TICK_IDLE_MS = 1000;
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

/** Messages of the watchdog thread to the main thread. */
export type WatchdogMessage =
  /** Interrupt these requests or comm messages (undefined: whatever runs). */
  | { type: "interrupt"; ids?: number[] }
  /** JavaScript on the main thread was terminated (the count of terminations so far). */
  | { type: "terminated"; count: number };

/**
 * The main thread's handle on the watchdog.
 *
 * @example
 * const lifeline = startLifeline();
 * lifeline.busy(true); try { ... } finally { lifeline.busy(false); }
 */
export interface Lifeline {
  /** Kernel work starts (true) or ends (false): the watchdog terminates nothing unless it is targeted. */
  busy(active: boolean): void;
  /** The request (or 0: none) and the comm message (or 0) now being handled. */
  handling(request: number, comm: number): void;
  /** A cell enters (true) or leaves (false) its asynchronous phase. */
  asyncPhase(active: boolean): void;
  /** Why the watchdog stopped the running code since the last call, if it did. */
  takeStopCause(): StopCause | undefined;
  /** How many times the watchdog has terminated JavaScript on the main thread. */
  terminations(): number;
  /** Called when the kernel interrupts `ids` (undefined: whatever runs), once this thread is free. */
  onInterrupt: (ids?: number[]) => void;
  /** Called once this thread is free again after the watchdog terminated what it ran. */
  onTerminated: () => void;
}

/**
 * Start the watchdog thread. The kernel passes `GRADLAB_KERNEL_PID`, the lifeline pipe's fd
 * (`GRADLAB_LIFELINE_FD`) and the heap limit (`GRADLAB_HEAP_MB`) at spawn; without them (the
 * executor run by hand) only the heap is watched.
 */
export function startLifeline(env: NodeJS.ProcessEnv = process.env): Lifeline {
  const shared = new Int32Array(new SharedArrayBuffer(4 * 9));
  const origin = Date.now();
  const tick = () => Atomics.store(shared, SLOT.tick, Date.now() - origin);
  tick();
  // A SIGINT from outside (someone's `kill -INT`) interrupts whatever runs; it never ends the executor.
  const onSigint = () => {
    tick();
    lifeline.onInterrupt();
  };
  const beat = () => {
    tick();
    // A cell may remove every SIGINT listener; without one, a SIGINT would end the process.
    if (process.listenerCount("SIGINT") === 0) process.on("SIGINT", onSigint);
  };
  // Idle (no request or comm message handled, no cell awaiting, nothing loading), the main thread
  // wakes once a second instead of twenty times: a class's kernels mostly wait. The watchdog then
  // asks before it takes a stale tick for a blocked thread (watchdog.ts).
  let heartbeat = setInterval(beat, TICK_ACTIVE_MS).unref();
  let active = true;
  const setActive = () => {
    const now =
      Atomics.load(shared, SLOT.busy) !== 0 ||
      Atomics.load(shared, SLOT.asyncPhase) !== 0 ||
      Atomics.load(shared, SLOT.request) !== 0 ||
      Atomics.load(shared, SLOT.comm) !== 0;
    if (now === active) return;
    active = now;
    clearInterval(heartbeat);
    // Ticked before the slot says so: the watchdog never reads a stale tick as the active heartbeat's.
    beat();
    Atomics.store(shared, SLOT.beating, now ? 1 : 0);
    heartbeat = setInterval(beat, now ? TICK_ACTIVE_MS : TICK_IDLE_MS).unref();
  };
  Atomics.store(shared, SLOT.beating, 1);
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
  const worker = new Worker(new URL("./watchdog.js", import.meta.url), { workerData: data, stdout: false, stderr: false });
  worker.unref();
  const lifeline: Lifeline = {
    busy: (on) => {
      if (on) Atomics.store(shared, SLOT.stopReason, 0);
      Atomics.store(shared, SLOT.busy, on ? 1 : 0);
      // The watchdog sleeps on this slot between requests (watchdog.ts).
      Atomics.notify(shared, SLOT.busy);
      setActive();
    },
    handling: (request, comm) => {
      Atomics.store(shared, SLOT.request, request);
      Atomics.store(shared, SLOT.comm, comm);
      setActive();
    },
    asyncPhase: (on) => {
      tick();
      Atomics.store(shared, SLOT.asyncPhase, on ? 1 : 0);
      setActive();
    },
    terminations: () => Atomics.load(shared, SLOT.terminations),
    takeStopCause: () => {
      if (Atomics.exchange(shared, SLOT.stopReason, 0) !== STOP_MEMORY) return undefined;
      return { reason: "memory", usedMb: Atomics.load(shared, SLOT.usedMb), limitMb: Math.round(data.heapLimit / 2 ** 20) };
    },
    onInterrupt: () => undefined,
    onTerminated: () => undefined,
  };
  worker.on("message", (m: WatchdogMessage) => {
    tick();
    if (m.type === "interrupt") lifeline.onInterrupt(m.ids);
    else lifeline.onTerminated();
  });
  process.on("SIGINT", onSigint);
  return lifeline;
}
