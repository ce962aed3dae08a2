/**
 * `couchdb://` result store over nano: one document per key, `{"_id": key, "value": "<meta
 * JSON as a string>"}`, exactly as Celery's CouchBackend writes it. See docs/couchdb.md.
 */
import type { CouchDbBackendConfig } from './couchdb.options.js';
import type { ServerScope } from 'nano';

import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { PayloadTooLargeError } from '../../errors/payload-too-large.error.js';
import { loadPackage } from '../../utils/load-package.util.js';
import type { ResultStore, WriteOutcome } from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import { CouchChangesFeed } from './couchdb-changes.push.js';
import { cleanupCouchDatabase } from './couchdb-cleanup.util.js';
import { fetchCouchDocuments } from './couchdb-mget.util.js';
import { CouchDatabase } from './couchdb-database.util.js';
import {
  decodeCouchDocument,
  encodeCouchDocument,
} from './couchdb-document.util.js';
import {
  asUnavailable,
  CouchHttp,
  couchServerUrl,
  couchStatus,
  describeCouchDb,
} from './couchdb-http.util.js';
import { isSuccessValue } from './couchdb-meta.util.js';
import { CouchRevisionCache } from './couchdb-revision-cache.util.js';
import {
  jitteredBackoffMs,
  MAX_CONFLICT_ATTEMPTS,
  sleep,
} from './couchdb-retry.util.js';

/** Per-request timeout for document operations, ms. */
const REQUEST_TIMEOUT_MS = 30_000;

/** The document id as a URL path segment (nano leaves `path` alone). */
const docPath = (key: string): string => encodeURIComponent(key);

/**
 * CouchDB store. Writes resolve 409 conflicts by re-reading the revision (bounded, jittered);
 * the "SUCCESS is final" guard is a compare-and-swap on `_rev`. Push comes from the
 * `_changes` feed filtered to the watched ids.
 * @internal
 */
export class CouchDbStore implements ResultStore {
  readonly kind = 'couchdb' as const;
  readonly autoExpires = false;
  readonly push: CouchChangesFeed;
  private readonly db: CouchDatabase;
  private closed = false;
  private readonly revs = new CouchRevisionCache();

  constructor(
    private readonly http: CouchHttp,
    private readonly ctx: StoreContext,
  ) {
    this.db = new CouchDatabase(http);
    this.push = new CouchChangesFeed(http, this.db, ctx);
  }

  /** Masked connection description. */
  get description(): string {
    return this.http.description;
  }

  async get(key: string): Promise<string | null> {
    const current = await this.read(key);
    return current && current.value !== '' ? current.value : null;
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    return fetchCouchDocuments(this.http, keys);
  }

  async set(
    key: string,
    value: string,
    _ttl: number | null,
    guardSuccess: boolean,
  ): Promise<WriteOutcome> {
    const size = Buffer.byteLength(value, 'utf8');
    if (size > this.ctx.maxPayloadBytes)
      throw new PayloadTooLargeError(key, size, this.ctx.maxPayloadBytes);
    try {
      return await this.db.run(() => this.write(key, value, guardSuccess));
    } catch (err) {
      throw asUnavailable(this.description, `writing ${key}`, err);
    }
  }

  async delete(key: string): Promise<void> {
    this.revs.forget(key);
    for (let attempt = 0; attempt < MAX_CONFLICT_ATTEMPTS; attempt++) {
      if (attempt > 1) await sleep(jitteredBackoffMs(attempt));
      const current = await this.readForWrite(key).catch((err: unknown) => {
        throw asUnavailable(this.description, `deleting ${key}`, err);
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
        if (status !== 409)
          throw asUnavailable(this.description, `deleting ${key}`, err);
      }
    }
    throw new BackendUnavailableError(
      this.description,
      `deleting ${key}: still conflicting after ${MAX_CONFLICT_ATTEMPTS} attempts`,
    );
  }

  /**
   * Delete ready task results whose `date_done` is older than `expiresSeconds`. Celery itself
   * never expires CouchDB results; pending results and group meta are kept. See docs/couchdb.md.
   */
  async cleanup(expiresSeconds: number): Promise<number> {
    if (!(expiresSeconds > 0)) return 0;
    try {
      return await cleanupCouchDatabase(
        this.http,
        new Date(Date.now() - expiresSeconds * 1000),
      );
    } catch (err) {
      throw asUnavailable(this.description, 'cleanup', err);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.http.request({ method: 'GET' }, 5_000);
    } catch (err) {
      if (couchStatus(err) === 404) return; // server answers; the database is created on first write
      throw asUnavailable(this.description, 'ping', err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.push.close();
    this.http.abortAll();
    await Promise.resolve();
  }

  /** The current revision and `value` of a document, `null` when missing or deleted. */
  private async read(
    key: string,
  ): Promise<{ rev: string; value: string } | null> {
    let doc: unknown;
    try {
      doc = await this.http.request<unknown>({
        method: 'GET',
        path: docPath(key),
      });
    } catch (err) {
      if (couchStatus(err) === 404) return null;
      throw asUnavailable(this.description, `reading ${key}`, err);
    }
    const rev = (doc as { _rev?: unknown })._rev;
    return {
      rev: typeof rev === 'string' ? rev : '',
      value: decodeCouchDocument(key, doc),
    };
  }

  /** PUT, and on 409 re-read the revision (checking the guard) and PUT again, bounded. */
  private async write(
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
    throw new BackendUnavailableError(
      this.description,
      `writing ${key}: still conflicting after ${MAX_CONFLICT_ATTEMPTS} attempts`,
    );
  }

  /** Like {@link read}, but a document that is not Celery's is simply overwritten. */
  private async readForWrite(
    key: string,
  ): Promise<{ rev: string; value: string | undefined } | null> {
    let doc: unknown;
    try {
      doc = await this.http.request<unknown>({
        method: 'GET',
        path: docPath(key),
      });
    } catch (err) {
      if (couchStatus(err) === 404) return null;
      throw err;
    }
    const { _rev: rev, value } = doc as { _rev?: unknown; value?: unknown };
    return typeof rev === 'string'
      ? { rev, value: typeof value === 'string' ? value : undefined }
      : null;
  }
}

/**
 * Open a CouchDB store. nano is loaded on first use (optional peer). No request is sent
 * until the first operation; the database is created on the first write or watch.
 * @internal
 */
export async function createCouchDbStore(
  config: CouchDbBackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  const mod = await loadPackage<typeof import('nano')>(
    'nano',
    'couchdb:// result backend',
  );
  const nano = ((mod as { default?: typeof import('nano') }).default ??
    mod) as (cfg: { url: string }) => ServerScope;
  const server = nano({ url: couchServerUrl(config) });
  return new CouchDbStore(
    new CouchHttp(
      server,
      config.database,
      describeCouchDb(config),
      REQUEST_TIMEOUT_MS,
    ),
    ctx,
  );
}
