import { ResultTimeoutError } from '../errors/result-timeout.error.js';

/** What ends a wait early: its timeout and its caller's abort signal. @internal */
export interface WaitLimits {
  /** Milliseconds before failing with `ResultTimeoutError` (none or `Infinity`: wait forever). */
  readonly timeout?: number;
  /** Fails the wait with `signal.reason` when aborted. */
  readonly signal?: AbortSignal;
}

/** Longest delay one Node timer takes (2^31 - 1 ms, about 24.8 days); longer waits chain timers. @internal */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Refuse a bad `timeout` or `interval` at call time: each must be a number ≥ 0 (`timeout` may be
 * `Infinity`, meaning no timeout), or left out.
 * @throws TypeError when one is not a number; RangeError when one is NaN, negative, or an
 * infinite `interval`
 * @internal
 */
export function checkWaitOptions(opts: {
  readonly timeout?: unknown;
  readonly interval?: unknown;
}): void {
  for (const name of ['timeout', 'interval'] as const) {
    const v = opts[name];
    if (v === undefined) continue;
    if (typeof v !== 'number')
      throw new TypeError(`${name} must be a number of ms, got ${typeof v}`);
    if (Number.isNaN(v) || v < 0 || (name === 'interval' && v === Infinity))
      throw new RangeError(
        `${name} must be a number of ms ≥ 0${name === 'timeout' ? ' (or Infinity)' : ''}, got ${v}`,
      );
  }
}

/**
 * Arm a wait's timeout timer and abort listener; `fail` gets `ResultTimeoutError(taskIds())` or
 * the signal's reason. Returns the function that disarms both (call it however the wait ends).
 * The timeout counts from `startedAt` (default: now), so a call that already spent time on a
 * first read keeps one deadline; delays past {@link MAX_TIMER_MS} chain timers, `Infinity` arms none.
 * An already aborted signal fails on the next microtask, so callers can finish setting up first.
 * @internal
 */
export function armWaitGuard(
  limits: WaitLimits,
  taskIds: () => readonly string[],
  fail: (err: unknown) => void,
  startedAt: number = Date.now(),
): () => void {
  const { timeout, signal } = limits;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const left = (timeout as number) - (Date.now() - startedAt);
    if (left <= 0)
      return fail(new ResultTimeoutError(taskIds(), timeout as number));
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  if (timeout !== undefined && timeout !== Infinity)
    timer = setTimeout(
      arm,
      Math.min(Math.max(0, timeout - (Date.now() - startedAt)), MAX_TIMER_MS),
    );
  const onAbort = (): void => fail(signal?.reason);
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
}
