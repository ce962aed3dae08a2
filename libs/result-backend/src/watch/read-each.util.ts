import { BackendUnavailableError } from '../errors/backend-unavailable.error.js';
import { ResultBackendError } from '../errors/result-backend.error.js';
import type { ResultStore } from '../stores/result-store.interface.js';
import { mapConcurrent } from '../utils/map-concurrent.util.js';
import { READ_EACH_CONCURRENCY } from '../utils/watch-policy.constants.js';

/**
 * Whether a read error belongs to the key (malformed value, invalid key, payload limit) and
 * will not heal by retrying, as opposed to a store-wide error (`BackendUnavailableError`) or
 * an unknown error.
 * @internal
 */
export function isKeyReadError(err: unknown): boolean {
  return (
    err instanceof ResultBackendError &&
    !(err instanceof BackendUnavailableError)
  );
}

/**
 * Whether a read error ends the watches of the keys it hit: a key's own error (see
 * {@link isKeyReadError}) or a `BackendUnavailableError` with `permanent: true` (the store
 * refused its configuration: wrong password, missing permission, bad database number), which
 * no retry heals, for any store. An outage (`permanent: false`) or an unknown error is
 * retried by the engine instead.
 * @internal
 */
export function isPermanentReadError(err: unknown): boolean {
  return (
    isKeyReadError(err) ||
    (err instanceof BackendUnavailableError && err.permanent)
  );
}

/** What one key's own read gave: its raw text, or the error it failed with. @internal */
export type KeyRead =
  | { readonly ok: true; readonly value: string | null }
  | { readonly ok: false; readonly error: unknown };

/**
 * Read `keys` one by one (bounded), after a batched `mget` failed with a key's own error:
 * one bad key then fails alone and every other key still gets its value.
 * @internal
 */
export function readEach(
  store: ResultStore,
  keys: readonly string[],
): Promise<KeyRead[]> {
  return mapConcurrent(keys, READ_EACH_CONCURRENCY, (key) =>
    store.get(key).then(
      (value): KeyRead => ({ ok: true, value }),
      (error: unknown): KeyRead => ({ ok: false, error }),
    ),
  );
}

/**
 * Read `keys` and report each key's outcome to `settle` (index into `keys`): as each read
 * returns with the store's `mgetEach`, else after one batched `mget`. An `mget` failing with a
 * key's own error is retried key by key, so the bad key fails alone; a store-wide error (an
 * outage, a refused configuration) is reported for every key. Never rejects.
 * @internal
 */
export async function readKeys(
  store: ResultStore,
  keys: readonly string[],
  settle: (index: number, read: KeyRead) => void,
): Promise<void> {
  if (store.mgetEach) return store.mgetEach(keys, settle);
  let reads: KeyRead[];
  try {
    const values = await store.mget(keys);
    reads = values.map((value) => ({ ok: true, value: value ?? null }));
  } catch (error) {
    reads = isKeyReadError(error)
      ? await readEach(store, keys)
      : keys.map(() => ({ ok: false, error }));
  }
  reads.forEach((r, i) => settle(i, r));
}
