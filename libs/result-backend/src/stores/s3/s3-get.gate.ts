/**
 * Every GET of one S3 store passes here: at most `limit` in flight (a queue, in order), and
 * one GET per object key at a time (a second read of the same key joins the first). So
 * 10,000 waiters cost 10,000 queued GETs at most `limit` at a time, never 10,000 at once.
 */
import type { ResultStore } from '../result-store.interface.js';
import type { EtagEntry } from './s3-etag.cache.js';

/** See the file comment. @internal */
export class S3GetGate {
  private active = 0;
  private peak = 0;
  private readonly queue: (() => void)[] = [];
  private readonly inflight = new Map<string, Promise<EtagEntry | null>>();
  /** Reads are numbered when queued; those queued before an outage failed fail with it. */
  private queued = 0;
  private failure?: { readonly before: number; readonly error: unknown };

  constructor(
    private readonly limit: number,
    private readonly fetch: (objectKey: string) => Promise<EtagEntry | null>,
    private readonly isOutage: (err: unknown) => boolean,
  ) {}

  /** Most GETs ever in flight at once (for tests and metrics). */
  get maxInFlight(): number {
    return this.peak;
  }

  /** GET `objectKey` (or join the GET of it already queued or running). */
  read(objectKey: string): Promise<EtagEntry | null> {
    const joined = this.inflight.get(objectKey);
    if (joined) return joined;
    const p = this.slot(objectKey).finally(() => {
      if (this.inflight.get(objectKey) === p) this.inflight.delete(objectKey);
    });
    this.inflight.set(objectKey, p);
    return p;
  }

  /** The object was written: later reads start a GET of their own instead of joining. */
  forget(objectKey: string): void {
    this.inflight.delete(objectKey);
  }

  private async slot(objectKey: string): Promise<EtagEntry | null> {
    const ticket = ++this.queued;
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((r) => this.queue.push(r));
    this.peak = Math.max(this.peak, this.active);
    try {
      // A read queued before an outage showed up fails with it without another GET.
      if (this.failure && ticket < this.failure.before)
        throw this.failure.error;
      return await this.fetch(objectKey);
    } catch (err) {
      if (this.isOutage(err) && !(ticket < (this.failure?.before ?? 0)))
        this.failure = { before: this.queued + 1, error: err };
      throw err;
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * Read every key with `get` (bounded by the store's gate) and report each outcome to
 * `onRead` as soon as it settles; resolves when all did, never rejects.
 * @internal
 */
export async function readEachReported(
  keys: readonly string[],
  get: (key: string) => Promise<string | null>,
  onRead: Parameters<NonNullable<ResultStore['mgetEach']>>[1],
): Promise<void> {
  await Promise.all(
    keys.map((k, i) =>
      get(k).then(
        (value) => onRead(i, { ok: true, value }),
        (error: unknown) => onRead(i, { ok: false, error }),
      ),
    ),
  );
}
