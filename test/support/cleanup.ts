/**
 * Resources a test opens inside its body (stores, services, raw clients, pools, child
 * processes), closed after each test even when an expectation failed before the test's own
 * close: a client left open keeps Jest alive and hangs the run.
 */

/** Something with an idempotent `close()` (stores, services, Nest modules and apps). */
export interface Closable {
  close(): unknown;
}

/** Registers a resource for closing after the current test; returns it unchanged. */
export type Own = {
  <T extends Closable>(resource: T): T;
  <T>(resource: T, close: (resource: T) => unknown): T;
};

/**
 * Call at `describe` level: adds an `afterEach` that closes every resource registered with the
 * returned function during the test, newest first, also when the test failed. A resource the
 * test already closed is closed again, so `close` must be idempotent (or pass a `close` that is).
 * Every close runs; the first failure is rethrown afterwards.
 */
export function closesAfterEach(): Own {
  const open: (() => unknown)[] = [];
  afterEach(async () => {
    const closers = open.splice(0).reverse();
    const failures: unknown[] = [];
    for (const close of closers) {
      try {
        await close();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length) throw failures[0];
  });
  const own = <T>(resource: T, close?: (resource: T) => unknown): T => {
    open.push(() =>
      close ? close(resource) : (resource as unknown as Closable).close(),
    );
    return resource;
  };
  return own;
}
