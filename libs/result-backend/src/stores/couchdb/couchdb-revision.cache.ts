/**
 * The revision this process last wrote per key (bounded, oldest evicted), so a repeated write
 * of the same key (STARTED, then SUCCESS) is one PUT with `_rev` instead of PUT, 409, GET, PUT.
 * Only a hint: a stale entry costs one 409 and is then dropped.
 */
import { isSuccessValue } from './couchdb-meta.decoder.js';

/** Entries kept before the oldest is dropped. */
const MAX_ENTRIES = 10_000;

/** What we know about our own last write of a key. @internal */
export interface KnownRevision {
  readonly rev: string;
  /** Whether we wrote a SUCCESS document (then a guarded write must re-read). */
  readonly success: boolean;
}

/** Bounded map of key → our last written revision. @internal */
export class CouchRevisionCache {
  private readonly entries = new Map<string, KnownRevision>();

  get(key: string): KnownRevision | undefined {
    return this.entries.get(key);
  }

  /** Record a successful PUT (`rev` from CouchDB's answer; ignored when absent). */
  remember(key: string, rev: unknown, value: string): void {
    this.entries.delete(key);
    if (typeof rev !== 'string') return;
    this.entries.set(key, { rev, success: isSuccessValue(value) });
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
