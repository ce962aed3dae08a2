import { ResultTimeoutError } from '../errors/result-timeout.error.js';

/** What ends a wait early: its timeout and its caller's abort signal. @internal */
export interface WaitLimits {
  /** Milliseconds before failing with `ResultTimeoutError` (none: wait forever). */
  readonly timeout?: number;
  /** Fails the wait with `signal.reason` when aborted. */
  readonly signal?: AbortSignal;
}

/**
 * Arm a wait's timeout timer and abort listener; `fail` gets `ResultTimeoutError(taskIds())` or
 * the signal's reason. Returns the function that disarms both (call it however the wait ends).
 * An already aborted signal fails on the next microtask, so callers can finish setting up first.
 * @internal
 */
export function armWaitGuard(
  limits: WaitLimits,
  taskIds: () => readonly string[],
  fail: (err: unknown) => void,
): () => void {
  const { timeout, signal } = limits;
  const timer =
    timeout !== undefined
      ? setTimeout(
          () => fail(new ResultTimeoutError(taskIds(), timeout)),
          timeout,
        )
      : undefined;
  const onAbort = (): void => fail(signal?.reason);
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });
  return () => {
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  };
}
