import type { WatchEntry } from './watch-entry.interface.js';

/**
 * Give every listener of `entry` the raw text `raw` when it differs from the last one
 * delivered; a listener that throws gets the error instead.
 * @internal
 */
export function deliverRaw(entry: WatchEntry, raw: string | null): void {
  if (raw === entry.last) return;
  entry.last = raw;
  for (const l of [...entry.listeners]) {
    try {
      l.next(raw);
    } catch (err) {
      l.error(err);
    }
  }
}

/**
 * End every listener of `entry` with `err` (a permanent read error); each listener's own
 * teardown unwatches the key.
 * @internal
 */
export function failListeners(entry: WatchEntry, err: unknown): void {
  for (const l of [...entry.listeners]) l.error(err);
}
