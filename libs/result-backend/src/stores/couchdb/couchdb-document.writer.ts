import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import type { WriteOutcome } from '../result-store.interface.js';
import { encodeCouchDocument } from './couchdb-document.codec.js';
import {
  asUnavailable,
  couchStatus,
  type CouchHttp,
} from './couchdb-http.client.js';
import { isSuccessValue } from './couchdb-meta.decoder.js';
import type { CouchRevisionCache } from './couchdb-revision.cache.js';
import {
  jitteredBackoffMs,
  MAX_CONFLICT_ATTEMPTS,
  sleep,
} from './couchdb.retry.js';

/** The document id as a URL path segment (nano leaves `path` alone). @internal */
export const docPath = (key: string): string => encodeURIComponent(key);

/** GET one document: its body, or `null` on 404; other failures are thrown as they are. @internal */
export async function getCouchDocument(
  http: CouchHttp,
  key: string,
): Promise<unknown> {
  try {
    return await http.request<unknown>({ method: 'GET', path: docPath(key) });
  } catch (err) {
    if (couchStatus(err) === 404) return null;
    throw err;
  }
}

/**
 * Writes and deletes of Celery's documents under CouchDB's revisions: a 409 conflict re-reads
 * the revision (checking the "SUCCESS is final" guard) and tries again, bounded and jittered,
 * so the guard is a compare-and-swap on `_rev`.
 * @internal
 */
export class CouchDocumentWriter {
  constructor(
    private readonly http: CouchHttp,
    private readonly revs: CouchRevisionCache,
  ) {}

  /** PUT, and on 409 re-read the revision (checking the guard) and PUT again, bounded. */
  async write(
    key: string,
    value: string,
    guard: boolean,
  ): Promise<WriteOutcome> {
    // Our own last write of this key (not SUCCESS, or unguarded): try its revision first, a
    // compare-and-swap that succeeds only if nobody wrote since. Otherwise PUT without one.
    const known = this.revs.get(key);
    let rev = known && (!guard || !known.success) ? known.rev : undefined;
    for (let attempt = 0; attempt < MAX_CONFLICT_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        if (attempt > 1) await sleep(jitteredBackoffMs(attempt));
        const current = await this.readForWrite(key);
        if (current && guard && isSuccessValue(current.value))
          return 'kept-success';
        rev = current?.rev;
      }
      try {
        const res = await this.http.request<{ rev?: unknown }>({
          method: 'PUT',
          path: docPath(key),
          body: encodeCouchDocument(key, value, rev),
        });
        this.revs.remember(key, res.rev, value);
        return 'written';
      } catch (err) {
        if (couchStatus(err) !== 409) throw err;
        this.revs.forget(key);
      }
    }
    throw this.stillConflicting(`writing ${key}`);
  }

  /** DELETE at the current revision, retried on 409; a missing document is fine. */
  async delete(key: string): Promise<void> {
    this.revs.forget(key);
    const fail = (err: unknown): unknown =>
      asUnavailable(this.http.description, `deleting ${key}`, err);
    for (let attempt = 0; attempt < MAX_CONFLICT_ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(jitteredBackoffMs(attempt));
      const current = await this.readForWrite(key).catch((err: unknown) => {
        throw fail(err);
      });
      if (!current) return;
      try {
        await this.http.request({
          method: 'DELETE',
          path: docPath(key),
          qs: { rev: current.rev },
        });
        return;
      } catch (err) {
        const status = couchStatus(err);
        if (status === 404) return;
        if (status !== 409) throw fail(err);
      }
    }
    throw this.stillConflicting(`deleting ${key}`);
  }

  /** The revision and `value` of a document; one that is not Celery's is simply overwritten. */
  private async readForWrite(
    key: string,
  ): Promise<{ rev: string; value: string | undefined } | null> {
    const doc = await getCouchDocument(this.http, key);
    if (doc === null) return null;
    const { _rev: rev, value } = doc as { _rev?: unknown; value?: unknown };
    return typeof rev === 'string'
      ? { rev, value: typeof value === 'string' ? value : undefined }
      : null;
  }

  private stillConflicting(what: string): BackendUnavailableError {
    return new BackendUnavailableError(
      this.http.description,
      `${what}: still conflicting after ${MAX_CONFLICT_ATTEMPTS} attempts`,
    );
  }
}
