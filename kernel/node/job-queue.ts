/**
 * @file The executor's queue: messages handled one at a time, in arrival order, each starting
 * in a macrotask of its own (`setImmediate`), never inside a promise reaction: a termination
 * that lands in a reaction drops every other reaction queued with it, and the kernel's own could
 * be among them.
 */

/** One message being handled: its id, and whether its answer was sent. */
export interface Job {
  id: number;
  answered: boolean;
}

/** Told when a job starts and when it ends (normally, or cut short). */
export interface JobEvents {
  started(job: Job): void;
  finished(job: Job): void;
}

/**
 * A queue of messages with an `id`, handled by `handle` one at a time.
 *
 * @example
 * const q = new JobQueue<{ id: number }>(async (m) => work(m), { started() {}, finished() {} });
 * q.push({ id: 1 });
 */
export class JobQueue<M extends { id: number }> {
  private readonly waiting: M[] = [];
  private job: Job | undefined;

  constructor(
    private readonly handle: (m: M) => Promise<void>,
    private readonly events: JobEvents,
  ) {}

  /** The job being handled, if any. */
  get running(): Job | undefined {
    return this.job;
  }

  /** Queue `m`; it is handled soon when nothing else is. */
  push(m: M): void {
    this.waiting.push(m);
    this.pump();
  }

  /** `job` is over (normally, or cut short): on to the next message. Ignored once it is over. */
  finish(job: Job): void {
    if (this.job !== job) return;
    this.job = undefined;
    this.events.finished(job);
    this.pump();
  }

  /** Handle the next message (soon, in a macrotask of its own) unless one is being handled. */
  private pump(): void {
    if (this.job || this.waiting.length === 0) return;
    const m = this.waiting.shift()!;
    const job: Job = { id: m.id, answered: false };
    this.job = job;
    this.events.started(job);
    setImmediate(() => void this.handle(m).finally(() => this.finish(job)));
  }
}
