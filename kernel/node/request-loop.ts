/**
 * @file The executor's request loop: one queue ({@link JobQueue}) for requests (execute,
 * complete, inspect) and comm messages alike, in two lanes: each lane handles its messages one
 * at a time and in order, and comm messages have a lane of their own so they reach their
 * handlers while a cell awaits. Interrupts are aimed at a request or comm message by id; one cut
 * short by a termination (watchdog.ts) is answered here as interrupted, and the lane moves on.
 */
import type { Executor } from "../engine/executor.js";
import type { ChildToHost, CommRequest, EngineRequest } from "../engine/ipc.js";
import { JobQueue, type Job } from "./job-queue.js";
import type { Lifeline } from "./lifeline.js";

/** What the loop works with. */
export interface LoopDeps {
  lifeline: Lifeline;
  executor: Executor;
  /** Sends to the protocol process (and tells {@link RequestLoop.sent}). */
  send(m: ChildToHost): void;
  /** Writes a line to the kernel's log. */
  log(line: string): void;
  /** Runs after every request and comm message. */
  afterJob(): void;
  handleRequest(m: EngineRequest): Promise<void>;
  handleComm(m: CommRequest): Promise<void>;
}

/** How long a request may outlive a termination and its interrupt before it is presumed dead. */
const RESCUE_MS = 1000;

/**
 * The request loop; {@link start} ties it to the lifeline.
 *
 * @example
 * const loop = new RequestLoop(deps); loop.start(); process.on("message", (m) => loop.push(m));
 */
export class RequestLoop {
  private readonly requests: JobQueue<EngineRequest>;
  private readonly comms: JobQueue<CommRequest>;

  constructor(private readonly d: LoopDeps) {
    // Only requests mark the executor busy: the watchdog then terminates what they run on interrupt.
    this.requests = new JobQueue(d.handleRequest, {
      started: () => {
        d.lifeline.busy(true);
        this.tellLifeline();
      },
      finished: () => {
        d.lifeline.busy(false);
        this.tellLifeline();
        d.afterJob();
      },
    });
    this.comms = new JobQueue(d.handleComm, {
      started: () => this.tellLifeline(),
      finished: () => {
        this.tellLifeline();
        d.afterJob();
      },
    });
  }

  /** Queue a request or comm message in its lane. */
  push(m: EngineRequest | CommRequest): void {
    if (m.type === "comm") this.comms.push(m);
    else this.requests.push(m);
  }

  /** Whether a request is being handled. */
  get busy(): boolean {
    return this.requests.running !== undefined;
  }

  /** Note an answer on its way: a job whose answer was sent is not answered again when cut short. */
  sent(m: ChildToHost): void {
    const job = m.type === "done" ? this.requests.running : m.type === "comm-done" ? this.comms.running : undefined;
    if (job && (m.type === "done" || m.type === "comm-done") && job.id === m.id) job.answered = true;
  }

  /** Listen to the lifeline: interrupts, terminations, and the rescue of jobs that never end. */
  start(): void {
    const { lifeline, executor } = this.d;
    lifeline.onTerminated = () => this.onTerminated();
    // An interrupt targets requests and comm messages by id: one meant for a request that has
    // ended must not hit the next.
    lifeline.onInterrupt = (ids) => {
      const targeted = (job: Job | undefined) => job !== undefined && (ids === undefined || ids.includes(job.id));
      if (targeted(this.requests.running) || targeted(this.comms.running)) executor.interrupt();
    };
    this.rescueAfterTermination();
  }

  private tellLifeline(): void {
    this.d.lifeline.handling(this.requests.running?.id ?? 0, this.comms.running?.id ?? 0);
    this.watchForRescue(this.requests.running !== undefined || this.comms.running !== undefined);
  }

  private what(job: Job): string {
    return job === this.requests.running ? "request" : "comm message";
  }

  /** Answer `job` as interrupted (unless it was answered) and move on: its code was cut short. */
  private endCutShort(job: Job, why: string): void {
    const { send, executor, lifeline } = this.d;
    this.d.log(`gradlab executor: ${why}`);
    lifeline.asyncPhase(false);
    if (job === this.requests.running) {
      if (!job.answered) send({ type: "done", id: job.id, ok: false, error: executor.interruptedError().content });
      this.requests.finish(job);
    } else if (job === this.comms.running) {
      if (!job.answered) {
        // As a comm handler's error is shown: on the comm message's stderr.
        const { ename, evalue } = executor.interruptedError().content;
        send({ type: "stream", id: job.id, name: "stderr", text: `${ename}: ${evalue}\n` });
        send({ type: "comm-done", id: job.id });
      }
      this.comms.finish(job);
    }
  }

  /**
   * The watchdog terminated JavaScript (watchdog.ts), which ends whatever the main thread ran,
   * every frame of it. When that was a cell's (or compile's, or comm handler's) synchronous code,
   * the executor says whose, and that request or comm message is answered as interrupted now.
   */
  private onTerminated(): void {
    const owner = this.d.executor.takeCutShort();
    if (owner === undefined) return;
    const job =
      this.requests.running?.id === owner ? this.requests.running : this.comms.running?.id === owner ? this.comms.running : undefined;
    if (job) this.endCutShort(job, `${this.what(job)} ${owner} was interrupted`);
  }

  /**
   * Rarely a termination lands in the kernel's own code instead (under heavy load, the code that
   * finishes an interrupted request), whose promise then never settles: were that left alone,
   * every later message of its lane would wait behind it for ever. So after a termination, a
   * request or comm message still being handled once its interrupt was delivered and
   * {@link RESCUE_MS} passed is ended here.
   */
  private rescueAfterTermination(): void {
    const { lifeline, executor } = this.d;
    const running = () => [this.requests.running, this.comms.running].filter((j): j is Job => j !== undefined);
    let seen = lifeline.terminations();
    let suspects: { job: Job; at: number }[] = [];
    let timer: NodeJS.Timeout | undefined;
    // Only while a job runs: an idle executor (most of a class's kernels, most of the time) does
    // not wake for it. A termination counted while none ran concerns no job.
    this.watchForRescue = (jobs) => {
      if (jobs && timer === undefined) {
        seen = lifeline.terminations();
        timer = setInterval(check, 100).unref();
      } else if (!jobs && timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
        suspects = [];
      }
    };
    const check = () => {
      const n = lifeline.terminations();
      if (n !== seen) {
        seen = n;
        suspects = running().map((job) => ({ job, at: Date.now() }));
      }
      suspects = suspects.filter((s) => running().includes(s.job));
      for (const s of suspects) {
        if (Date.now() - s.at < RESCUE_MS) continue;
        if (!executor.signal.aborted) {
          // The termination may have cut the interrupt's delivery: interrupt again, wait again.
          executor.interrupt();
          s.at = Date.now();
          continue;
        }
        this.endCutShort(s.job, `${this.what(s.job)} ${s.job.id} did not end after its interrupt; ending it`);
      }
    };
  }

  /** Starts (a job runs) or stops (none does) the rescue's check; set by {@link rescueAfterTermination}. */
  private watchForRescue: (jobs: boolean) => void = () => undefined;
}
