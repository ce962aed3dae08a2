import type { ResultStore } from '../stores/result-store.interface.js';
import type { OutageReporter } from '../stores/store-context.interface.js';

/** The watch engine's part in the backend's outage log. */
const READS = 'watch reads';

/**
 * The watch engine's reads as one part of the backend's outage log: down on a failed read, up
 * on a read that worked. When the last watch ends while the part is down, no later read would
 * tell that the store is back, so the store is pinged once: the outage can end without a watch.
 * @internal
 */
export class ReadsOutagePart {
  private down = false;

  constructor(
    private readonly log: OutageReporter,
    private readonly store: Pick<ResultStore, 'ping'>,
  ) {}

  /** A read failed in a way retrying may heal. */
  failed(err: unknown): void {
    this.down = true;
    this.log.down(READS, err);
  }

  /** A read worked. */
  ok(): void {
    if (!this.down) return;
    this.down = false;
    this.log.up(READS);
  }

  /** No watch left: while down, ping the store once; `track` keeps the ping for close(). */
  idle(track: (p: Promise<void>) => void): void {
    if (!this.down) return;
    track(
      this.store.ping().then(
        () => this.ok(),
        () => undefined, // still down: the next watch's reads will tell
      ),
    );
  }
}
