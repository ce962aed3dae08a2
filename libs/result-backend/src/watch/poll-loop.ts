/**
 * Timed polls that never overlap: one timer per wanted interval, re-armed only after its poll
 * ended, and one poll at a time across every interval (a tick that comes while a poll runs
 * waits and runs right after it). A poll that takes longer than its interval therefore
 * delays the next one instead of piling up requests.
 * @internal
 */
export class PollLoop {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly wanted = new Set<number>();
  private readonly due = new Set<number>();
  private running = false;
  private stopped = false;
  private started = 0;

  constructor(
    /** Read what interval `ms` covers; never rejects. */
    private readonly poll: (ms: number) => Promise<void>,
    /** Told about every poll promise (the engine waits for them on close). */
    private readonly track: (p: Promise<void>) => void,
  ) {}

  /** Polls started so far (for tests and metrics). */
  get polls(): number {
    return this.started;
  }

  /** Whether a poll is running now. */
  get busy(): boolean {
    return this.running;
  }

  /** Poll every `ms` from now on (no-op when already wanted). */
  want(ms: number): void {
    if (this.stopped || this.wanted.has(ms)) return;
    this.wanted.add(ms);
    this.arm(ms);
  }

  /** Stop polling every `ms`. */
  unwant(ms: number): void {
    this.wanted.delete(ms);
    this.due.delete(ms);
    clearTimeout(this.timers.get(ms));
    this.timers.delete(ms);
  }

  /** Stop for good. */
  stop(): void {
    this.stopped = true;
    for (const ms of [...this.wanted]) this.unwant(ms);
  }

  private arm(ms: number): void {
    if (this.timers.has(ms)) return;
    this.timers.set(
      ms,
      setTimeout(() => {
        this.timers.delete(ms);
        this.due.add(ms);
        this.next();
      }, ms),
    );
  }

  private next(): void {
    if (this.running || this.stopped) return;
    const [ms] = this.due;
    if (ms === undefined) return;
    this.due.delete(ms);
    this.running = true;
    this.started++;
    this.track(
      this.poll(ms).finally(() => {
        this.running = false;
        if (this.wanted.has(ms)) this.arm(ms);
        this.next();
      }),
    );
  }
}
