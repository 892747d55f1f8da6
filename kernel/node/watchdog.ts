/**
 * @file The executor's watchdog thread (started by lifeline.ts before anything else loads). It
 * does what the main thread cannot do while a cell blocks its event loop, and needs nothing
 * from that loop:
 * - **Dies with the kernel.** The protocol process holds the write end of the lifeline pipe;
 *   when it dies for any reason (even SIGKILL) the pipe reaches EOF and this thread SIGKILLs the
 *   executor's whole process group at once (no exit handlers, no flushing to a closed channel).
 *   The kernel's pid, handed down at spawn, is also compared with our parent from the first
 *   instant, in case the pipe was never set up.
 * - **Interrupts.** The kernel writes an interrupt on the lifeline (`i <ids>` : the requests and
 *   comm messages it targets). This thread passes it to the main thread (which rejects a pending
 *   `await` once it is free), and when JavaScript has blocked the main thread for 150 ms while one
 *   of those runs, or while none runs at all (a timer or continuation an earlier cell left
 *   behind), it terminates that JavaScript through the inspector (`Runtime.terminateExecution`).
 *   The isolate and all notebook state survive; serve.ts ends the request the termination cut.
 * - **Stops a cell before the JavaScript heap runs out.** While a request runs, the heap is
 *   polled through the inspector; past {@link HEAP_STOP_FRACTION} of the limit, when the request
 *   itself grew the heap, the cell is stopped as if interrupted, with the reason "memory", so it fails with a
 *   MemoryError and the state is kept, instead of V8 thrashing for minutes and then aborting.
 *
 * The inspector session is connected once, at start: a session connected while the main
 * thread is blocked would get no answer until it is free. The executor never exits through
 * Node's exit path (it is SIGKILLed, by the kernel or by this thread), so the session never
 * makes it wait for a debugger to disconnect.
 */
import { readFileSync } from "node:fs";
import { Session } from "node:inspector";
import { Socket } from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { SLOT, STOP_MEMORY, type WatchdogData, type WatchdogMessage } from "./lifeline.js";

/**
 * Fraction of the old-space limit at which a running cell is stopped. V8 gives up (fatally)
 * when old space is full, which the heap in use reads as ~88 %: stop before.
 */
export const HEAP_STOP_FRACTION = 0.8;
/** How often the heap is polled while a request runs. */
const HEAP_POLL_MS = 200;
/** How often our parent is compared with the kernel's pid. */
const PARENT_POLL_MS = 250;

const w = workerData as WatchdogData;
const shared = new Int32Array(w.shared);

/** SIGKILL the executor and everything it started (it leads its own process group). */
function die(): never {
  for (const target of [-w.pid, w.pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // not a group leader, or already gone
    }
  }
  // SIGKILL of our own process does not return; this is never reached.
  throw new Error("unreachable");
}

/** Our parent pid straight from /proc (process.ppid may be cached by the runtime). */
function parentPid(): number {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return process.ppid;
  }
}

// With the lifeline pipe, its end is the kernel's death: the parent is compared once, at start.
// Without it (an executor started by hand with a kernel pid), it is polled.
if (w.kernelPid > 0) {
  const check = () => {
    if (parentPid() !== w.kernelPid) die();
  };
  check();
  if (w.fd <= 2) setInterval(check, PARENT_POLL_MS);
}

const session = new Session();
session.connectToMainThread();
function post<T>(method: string): Promise<T> {
  return new Promise((ok, fail) => session.post(method, (err, res) => (err ? fail(err) : ok(res as T))));
}

const tell = (m: WatchdogMessage) => parentPort!.postMessage(m);

/**
 * Whether JavaScript blocks the main thread (it has not ticked for 150 ms) while something the
 * interrupt targets runs (`ids`: requests or comm messages; undefined: anything), or while no
 * request runs at all (a timer or a continuation an earlier, interrupted cell left behind). While
 * the executor loads or sets up a request that is not targeted, nothing is terminated: the
 * kernel repeats its interrupt until the request it means has started. `askedAt`: the time (ms
 * since `origin`) a message was sent to the idle main thread, which ticks when it reads one.
 */
function blocked(ids: number[] | undefined, askedAt?: number): boolean {
  const tick = Atomics.load(shared, SLOT.tick);
  if (Date.now() - w.origin - tick <= 150 || (askedAt !== undefined && tick >= askedAt)) return false;
  if (Atomics.load(shared, SLOT.busy) === 0 || ids === undefined) return true;
  const request = Atomics.load(shared, SLOT.request);
  const comm = Atomics.load(shared, SLOT.comm);
  return (request !== 0 && ids.includes(request)) || (comm !== 0 && ids.includes(comm));
}

/**
 * Terminate the blocking JavaScript, at most once a second: a termination lands wherever the
 * main thread is when it gets to it, and a second one could land in the kernel's own code after
 * the first freed the thread (serve.ts recovers from that too, but need not often).
 */
const TERMINATION_SPACING_MS = 1000;
let lastTermination = 0;
function terminateIfBlocked(ids: number[] | undefined, askedAt?: number): void {
  if (askedAt === undefined && Atomics.load(shared, SLOT.beating) === 0) {
    // Idle, the main thread ticks only when it reads a message of ours (its heartbeat is slow):
    // the interrupt just sent is the question, and no tick 150 ms after it means blocked.
    const at = Date.now() - w.origin;
    setTimeout(() => terminateIfBlocked(ids, at), 160);
    return;
  }
  if (!blocked(ids, askedAt) || Date.now() - lastTermination < TERMINATION_SPACING_MS) return;
  lastTermination = Date.now();
  const count = Atomics.add(shared, SLOT.terminations, 1) + 1;
  void post("Runtime.terminateExecution")
    .catch(() => undefined)
    .then(() => tell({ type: "terminated", count }));
}

/** Interrupt `ids` (undefined: whatever runs): a pending await once the main thread is free, blocking code now. */
function interrupt(ids: number[] | undefined): void {
  tell({ type: "interrupt", ids });
  terminateIfBlocked(ids);
}

if (w.fd > 2) {
  const lifeline = new Socket({ fd: w.fd, readable: true, writable: false });
  let pending = "";
  lifeline.setEncoding("latin1").on("data", (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
      const [cmd, ...rest] = pending.slice(0, nl).split(" ");
      pending = pending.slice(nl + 1);
      if (cmd === "i") interrupt(rest.length > 0 ? rest.map(Number) : undefined);
    }
  });
  lifeline.on("end", die);
  lifeline.on("close", die);
  lifeline.on("error", die);
}

let stoppedThisRequest = false;
/** The heap in use at the first poll of the running request (undefined when idle). */
let baseline: number | undefined;
let polling = false;

function pollHeap(): void {
  if (polling || stoppedThisRequest || w.heapLimit <= 0) return;
  polling = true;
  void post<{ usedSize: number }>("Runtime.getHeapUsage")
    .then(({ usedSize }) => {
      baseline ??= usedSize;
      // Near the limit and grown by this request: a cell that frees memory is never stopped,
      // and no full GC is forced here (near the limit it takes seconds of the main thread).
      if (usedSize <= w.heapLimit * HEAP_STOP_FRACTION || usedSize - baseline < w.heapLimit * 0.05) return;
      if (Atomics.load(shared, SLOT.busy) === 0) return;
      stoppedThisRequest = true;
      Atomics.store(shared, SLOT.usedMb, Math.round(usedSize / 2 ** 20));
      Atomics.store(shared, SLOT.stopReason, STOP_MEMORY);
      interrupt([Atomics.load(shared, SLOT.request)]);
    })
    .catch(() => undefined)
    .finally(() => {
      polling = false;
    });
}

/**
 * The heap is polled only while the executor is busy: idle, this thread sleeps until the main
 * thread marks itself busy (lifeline.ts notifies the busy slot), so an idle kernel wakes nobody.
 */
async function watchHeap(): Promise<never> {
  for (;;) {
    const idle = Atomics.waitAsync(shared, SLOT.busy, 0);
    if (idle.async) await idle.value;
    const poll = setInterval(() => {
      if (Atomics.load(shared, SLOT.busy) !== 0) pollHeap();
    }, HEAP_POLL_MS);
    // Busy: poll until the request ends (the main thread notifies that too).
    for (;;) {
      const busy = Atomics.waitAsync(shared, SLOT.busy, 1);
      if (busy.async) await busy.value;
      if (Atomics.load(shared, SLOT.busy) === 0) break;
    }
    clearInterval(poll);
    stoppedThisRequest = false;
    baseline = undefined;
  }
}
void watchHeap();
