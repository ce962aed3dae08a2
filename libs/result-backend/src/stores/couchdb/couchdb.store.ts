/**
 * `couchdb://` result store over nano: one document per key, `{"_id": key, "value": "<meta
 * JSON as a string>"}`, exactly as Celery's CouchBackend writes it. See docs/couchdb.md.
 */
import type { CouchDbBackendConfig } from './couchdb.options.js';
import type { ServerScope } from 'nano';

import { loadPackage } from '../../utils/load-package.util.js';
import type {
  ResultStore,
  StoreSetArgs,
  WriteOutcome,
} from '../result-store.interface.js';
import type {
  OutageReporter,
  StoreContext,
} from '../store-context.interface.js';
import { CouchChangesFeed } from './couchdb-changes.push.js';
import { cleanupCouchDatabase } from './couchdb.cleanup.js';
import { fetchCouchDocuments } from './couchdb-mget.reader.js';
import { CouchDatabase } from './couchdb-database.client.js';
import { decodeCouchDocument } from './couchdb-document.codec.js';
import {
  CouchDocumentWriter,
  getCouchDocument,
} from './couchdb-document.writer.js';
import {
  asUnavailable,
  CouchHttp,
  couchServerUrl,
  couchStatus,
  describeCouchDb,
} from './couchdb-http.client.js';
import { CouchRevisionCache } from './couchdb-revision.cache.js';
import { outageLogFor } from '../../utils/outage-log.util.js';

/** Per-request timeout for document operations, ms. */
const REQUEST_TIMEOUT_MS = 30_000;

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
  /** The backend's outage log (changes feed and the watch engine's reads). */
  readonly outage: OutageReporter;
  private readonly db: CouchDatabase;
  private closed = false;
  private readonly writer: CouchDocumentWriter;

  constructor(
    private readonly http: CouchHttp,
    ctx: StoreContext,
  ) {
    this.db = new CouchDatabase(http);
    this.writer = new CouchDocumentWriter(http, new CouchRevisionCache());
    this.outage = outageLogFor(ctx, http.description);
    this.push = new CouchChangesFeed(http, this.db, this.outage);
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
    ...[key, value, , guardSuccess]: StoreSetArgs
  ): Promise<WriteOutcome> {
    try {
      return await this.db.run(() =>
        this.writer.write(key, value, guardSuccess),
      );
    } catch (err) {
      throw asUnavailable(this.description, `writing ${key}`, err);
    }
  }

  async delete(key: string): Promise<void> {
    await this.writer.delete(key);
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
    const doc = await getCouchDocument(this.http, key).catch((err: unknown) => {
      throw asUnavailable(this.description, `reading ${key}`, err);
    });
    if (doc === null) return null;
    const rev = (doc as { _rev?: unknown })._rev;
    return {
      rev: typeof rev === 'string' ? rev : '',
      value: decodeCouchDocument(key, doc),
    };
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
      ctx.description ?? describeCouchDb(config),
      REQUEST_TIMEOUT_MS,
    ),
    ctx,
  );
}
