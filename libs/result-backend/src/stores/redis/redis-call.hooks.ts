/** What a Redis store runs around each command (see RedisCallDeadline). */

/** Hears when a command is sent and when it settled (the stall watchdog). @internal */
export interface CallObserver {
  enter(): void;
  leave(): void;
}

/**
 * What a store adds around each command, inside the deadline's own settle callbacks (no extra
 * promise per command): the stall watchdog, the outage report of a command that worked, and
 * the store's error mapping. @internal
 */
export interface CallHooks {
  readonly observer?: CallObserver;
  /** A command got its reply. */
  readonly succeeded?: () => void;
  /** The error a caller sees for a command that failed. */
  readonly mapError?: (err: unknown) => Error;
}

/** `op()` under `hooks`, unbounded (`unavailableTimeoutMs: 0`). @internal */
export function hooked<T>(op: () => Promise<T>, hooks: CallHooks): Promise<T> {
  hooks.observer?.enter();
  return op().then(
    (v) => {
      hooks.observer?.leave();
      hooks.succeeded?.();
      return v;
    },
    (err: unknown) => {
      hooks.observer?.leave();
      throw mappedError(hooks, err);
    },
  );
}

/** The error a caller sees for `err` (the hook's mapping, else `err` as an Error). @internal */
export function mappedError(hooks: CallHooks, err: unknown): Error {
  if (hooks.mapError) return hooks.mapError(err);
  return err instanceof Error ? err : new Error(String(err));
}
