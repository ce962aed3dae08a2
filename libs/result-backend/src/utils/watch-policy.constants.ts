/**
 * The watch policy in one place: how often results are polled and re-read, how push feeds
 * back off, how reads are batched and bounded. The watch engine (`watch/`) and the push
 * stores (`stores/<kind>/*.push.ts`) read these; push stores only REPORT `degraded` and
 * `recovered`, and the engine runs the one fallback poll.
 *
 * It sits in `utils/` because both layers use it (stores may not import `watch/`).
 */

/** Shortest poll interval the engine accepts, ms (a `watch({ interval })` below is raised). @internal */
export const MIN_POLL_INTERVAL_MS = 10;

/**
 * Safety re-read of every watched key while a push store looks healthy (a lost event or a
 * silent feed still ends with a read): 10 × the poll interval, at least 2 s.
 * @param pollIntervalMs the module's `pollIntervalMs`
 * @returns the interval in ms
 * @internal
 */
export function safetyRereadMs(pollIntervalMs: number): number {
  return Math.max(2_000, 10 * pollIntervalMs);
}

/** How long `close()` waits for reads in flight before leaving them to the store's close, ms. @internal */
export const CLOSE_WAIT_MS = 500;

/** Keys read one by one at a time when a batched read failed for one key. @internal */
export const READ_EACH_CONCURRENCY = 16;

/**
 * Cap of the fast first read of `waitFor`/`join` (a slow or failing read falls through to
 * watching, which retries), ms. A shorter caller timeout does not cut it short: a ready result
 * always counts (`timeout: 0` returns it, as Celery's `get(timeout=0)` does), so while the store
 * is down a timeout below this cap takes up to this long.
 * @internal
 */
export const FAST_READ_CAP_MS = 1_000;

/**
 * Reconnect delay of a push feed after `failures` consecutive failures: 100 ms doubling up to
 * 5 s, with jitter (half fixed, half random), so a restarted server is not hit in lockstep.
 * @param failures consecutive failures so far (1 = the first)
 * @returns the delay in ms
 * @internal
 */
export function pushReconnectDelayMs(failures: number): number {
  const ceiling = Math.min(5_000, 100 * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + Math.floor((Math.random() * ceiling) / 2);
}
