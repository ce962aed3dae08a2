/**
 * The `StoreContext` tests open stores with: a silent logger that remembers warnings and
 * errors, and a short poll interval.
 */
import type { StoreContext } from '../../libs/result-backend/src/stores/store-context.interface.js';

/** A StoreContext for tests; `warnings` collects what the store warns or errors about. */
export function testStoreContext(
  warnings: string[] = [],
  pollIntervalMs = 100,
): StoreContext {
  const remember = (m: unknown): void => {
    warnings.push(String(m));
  };
  return {
    logger: {
      log: () => undefined,
      error: remember,
      warn: remember,
      debug: () => undefined,
      verbose: () => undefined,
    },
    pollIntervalMs,
  };
}
