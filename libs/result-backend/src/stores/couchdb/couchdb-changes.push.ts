/**
 * Push for the CouchDB store: one longpoll `_changes` request at a time, filtered to the
 * watched document ids (`filter=_doc_ids`), resumed from the last sequence it saw. Only
 * CouchDB's documented behaviour is relied on: sequences are opaque, and every request has
 * its own client-side timeout (some servers ignore `timeout`).
 */
import { Subject, type Observable } from 'rxjs';

import type { StoreEvent, StorePush } from '../result-store.interface.js';
import type { OutageReporter } from '../store-context.interface.js';
import type { CouchDatabase } from './couchdb-database.client.js';
import { decodeCouchDocument } from './couchdb-document.codec.js';
import { couchErrorInfo, type CouchHttp } from './couchdb-http.client.js';
import { sleep } from './couchdb.retry.js';
import { pushReconnectDelayMs } from '../../utils/watch-policy.constants.js';

/** How long CouchDB may hold a longpoll open before answering with no changes, ms. */
const FEED_WAIT_MS = 25_000;
/** Our own deadline on top of that (pouchdb-server ignores `timeout`), ms. */
const FEED_GRACE_MS = 5_000;
/** Timeout of the small requests (baseline sequence, liveness check), ms. */
const SMALL_TIMEOUT_MS = 5_000;
/** The feed's part in the backend's outage log. */
const FEED_PART = 'changes feed';

interface ChangeRow {
  readonly id?: unknown;
  readonly deleted?: unknown;
  readonly doc?: unknown;
}
interface ChangesResponse {
  readonly results?: readonly ChangeRow[];
  readonly last_seq?: unknown;
}

/** Sequences are opaque: strings (CouchDB 2+) are kept as-is, anything else as its JSON. */
function seqText(seq: unknown): string {
  if (typeof seq === 'string') return seq;
  if (seq === undefined || seq === null) return 'now';
  return JSON.stringify(seq);
}

/**
 * `_changes` watcher. `add()` resolves once a starting sequence taken *before* it resolved is
 * known, so the next feed request (which starts there) cannot miss a later change. It never
 * polls: the first failure reports `degraded` (the watch engine then polls), the feed
 * reconnects with backoff from a fresh sequence, and its first good reply reports
 * `recovered` (the engine re-reads every key once). An empty reply is a failure: nano
 * resolves `""` for an aborted long-poll.
 * @internal
 */
export class CouchChangesFeed implements StorePush {
  private readonly subject = new Subject<StoreEvent>();
  /** Changes of watched ids (with the new value or `null` when deleted), and resyncs. */
  readonly events: Observable<StoreEvent> = this.subject.asObservable();
  private readonly watched = new Set<string>();
  private readonly stopped = new AbortController();
  private since: string | undefined;
  private baseline?: Promise<void>;
  private failures = 0;
  private running = false;
  private inflight?: AbortController;

  constructor(
    private readonly http: CouchHttp,
    private readonly db: CouchDatabase,
    /** The backend's shared outage log: the feed is its `changes feed` part. */
    private readonly outage: OutageReporter,
  ) {}

  async add(keys: readonly string[]): Promise<void> {
    if (this.stopped.signal.aborted) return;
    const before = this.watched.size;
    for (const key of keys) this.watched.add(key);
    if (this.watched.size === before) return;
    // On failure the loop retries and reports degraded.
    if (this.since === undefined)
      await this.captureBaseline().catch(() => undefined);
    this.restart();
  }

  remove(keys: readonly string[]): Promise<void> {
    const before = this.watched.size;
    for (const key of keys) this.watched.delete(key);
    if (this.watched.size !== before) this.restart();
    return Promise.resolve();
  }

  /** Abort the request in flight, stop timers, complete `events`. Idempotent. */
  close(): void {
    if (this.stopped.signal.aborted) return;
    this.stopped.abort();
    this.inflight?.abort('closed');
    this.watched.clear();
    this.subject.complete();
  }

  /** Start the loop, or make it re-issue its request with the current ids. */
  private restart(): void {
    if (this.stopped.signal.aborted) return;
    if (this.running) {
      this.inflight?.abort('restart');
      return;
    }
    this.running = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped.signal.aborted && this.watched.size > 0) {
        if (this.since === undefined) {
          try {
            await this.captureBaseline();
            // The server answers again: the outage log need not wait for a long-poll reply.
            if (this.failures > 0) this.outage.up(FEED_PART);
          } catch (err) {
            await this.failed(err);
            continue;
          }
        }
        await this.poll();
      }
    } finally {
      this.running = false;
      // No id left to watch: the feed no longer needs the server, its part of an outage ends.
      if (this.watched.size === 0) this.outage.up(FEED_PART);
    }
  }

  /** One longpoll request; updates `since` and emits what it returned. */
  private async poll(): Promise<void> {
    const ctrl = new AbortController();
    this.inflight = ctrl;
    const timer = setTimeout(
      () => ctrl.abort('timeout'),
      FEED_WAIT_MS + FEED_GRACE_MS,
    );
    try {
      const res = await this.http.request<ChangesResponse>(
        {
          method: 'POST',
          path: '_changes',
          qs: {
            feed: 'longpoll',
            filter: '_doc_ids',
            since: this.since ?? 'now',
            include_docs: true,
            timeout: FEED_WAIT_MS,
          },
          body: { doc_ids: [...this.watched] },
        },
        FEED_WAIT_MS + 2 * FEED_GRACE_MS,
        ctrl.signal,
      );
      // nano resolves "" for an aborted long-poll: a reply without last_seq is a failure.
      if (typeof res !== 'object' || res === null || res.last_seq === undefined)
        throw new Error('changes feed reply without last_seq (empty body)');
      if (this.failures > 0) {
        this.failures = 0;
        this.outage.up(FEED_PART);
        this.subject.next({ type: 'recovered' });
      }
      this.emit(res.results ?? []);
      this.since = seqText(res.last_seq);
    } catch (err) {
      if (this.stopped.signal.aborted || ctrl.signal.reason === 'restart')
        return;
      if (ctrl.signal.reason === 'timeout' && (await this.alive())) return;
      await this.failed(err);
    } finally {
      clearTimeout(timer);
      if (this.inflight === ctrl) this.inflight = undefined;
    }
  }

  private emit(rows: readonly ChangeRow[]): void {
    for (const row of rows) {
      if (typeof row.id !== 'string' || !this.watched.has(row.id)) continue;
      let value: string | null | undefined;
      if (row.deleted === true) value = null;
      else if (row.doc) {
        try {
          value = decodeCouchDocument(row.id, row.doc) || null;
        } catch {
          value = undefined; // not Celery's document: the engine re-reads and reports it
        }
      }
      this.subject.next(
        value === undefined
          ? { type: 'change', key: row.id }
          : { type: 'change', key: row.id, value },
      );
    }
  }

  /** Current `update_seq` as the starting point (creating the database if it is missing). */
  private captureBaseline(): Promise<void> {
    this.baseline ??= this.db
      .run(() =>
        this.http.request<{ update_seq?: unknown }>(
          { method: 'GET' },
          SMALL_TIMEOUT_MS,
        ),
      )
      .then((info) => {
        this.since = seqText(info.update_seq);
      })
      .finally(() => {
        this.baseline = undefined;
      });
    return this.baseline;
  }

  /** Whether the server still answers (after our own longpoll deadline passed). */
  private async alive(): Promise<boolean> {
    try {
      await this.http.request({ method: 'GET' }, SMALL_TIMEOUT_MS);
      return true;
    } catch {
      return false;
    }
  }

  /** Count a failure: forget the sequence (re-read later), report degraded once, back off. */
  private async failed(err: unknown): Promise<void> {
    this.failures++;
    this.since = undefined;
    this.outage.down(FEED_PART, couchErrorInfo(err).reason); // a no-op while down
    if (this.failures === 1) {
      this.subject.next({ type: 'degraded' });
    }
    await sleep(pushReconnectDelayMs(this.failures), this.stopped.signal);
  }
}
