/**
 * Bounded retries with jittered exponential backoff, for CouchDB's 409 Conflict (another
 * writer got there first) and for the changes feed's reconnects.
 */

/** Attempts at a conflicting write before giving up (each re-reads the current revision). @internal */
export const MAX_CONFLICT_ATTEMPTS = 12;

/**
 * "Full jitter" backoff: a random delay in `[0, min(cap, base * 2^attempt))`, so competing
 * writers spread out instead of colliding again in lockstep.
 * @internal
 */
export function jitteredBackoffMs(
  attempt: number,
  baseMs = 5,
  capMs = 400,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(Math.random() * ceiling);
}

/** Resolve after `ms`; resolves early (without error) when `signal` aborts. @internal */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
