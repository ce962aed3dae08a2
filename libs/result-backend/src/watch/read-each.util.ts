import { BackendUnavailableError } from '../errors/backend-unavailable.error.js';
import { ResultBackendError } from '../errors/result-backend.error.js';
import type { ResultStore } from '../stores/result-store.interface.js';
import { mapConcurrent } from '../utils/map-concurrent.util.js';

/** Keys read one by one at a time when a batch failed for one key. */
const EACH_CONCURRENCY = 16;

/**
 * Whether a read error belongs to the key (malformed value, invalid key, payload limit) and
 * will not heal by retrying, as opposed to an outage (`BackendUnavailableError`) or an
 * unknown error, which the engine retries.
 * @internal
 */
export function isPermanentReadError(err: unknown): boolean {
  return (
    err instanceof ResultBackendError &&
    !(err instanceof BackendUnavailableError)
  );
}

/** What one key's own read gave: its raw text, or the error it failed with. @internal */
export type KeyRead =
  | { readonly ok: true; readonly value: string | null }
  | { readonly ok: false; readonly error: unknown };

/**
 * Read `keys` one by one (bounded), after a batched `mget` failed with a permanent error:
 * one bad key then fails alone and every other key still gets its value.
 * @internal
 */
export function readEach(
  store: ResultStore,
  keys: readonly string[],
): Promise<KeyRead[]> {
  return mapConcurrent(keys, EACH_CONCURRENCY, (key) =>
    store.get(key).then(
      (value): KeyRead => ({ ok: true, value }),
      (error: unknown): KeyRead => ({ ok: false, error }),
    ),
  );
}
