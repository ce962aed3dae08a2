/**
 * Every GET of one S3 store passes here: at most `limit` in flight (a queue, in order), and
 * at most one GET per object key at a time. A read of a key joins its GET already queued or
 * running, unless the key was written after that GET was sent: then the read waits for it to
 * end and starts one fresh GET (joined by later reads), so a read issued after a write never
 * returns older bytes. 10,000 waiters cost 10,000 queued GETs at most `limit` at a time.
 */
import type { EtagEntry } from './s3-etag.cache.js';

/** The one GET of a key queued or running, and whether a write made it stale. */
interface KeyGet {
  /** Its request was sent (a write from now on may be newer than what it returns). */
  sent: boolean;
  /** The key was written after the request was sent. */
  stale: boolean;
  readonly result: Promise<EtagEntry | null>;
}

/** See the file comment. @internal */
export class S3GetGate {
  private active = 0;
  private peak = 0;
  private readonly queue: (() => void)[] = [];
  private readonly inflight = new Map<string, KeyGet>();
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

  /** GET `objectKey`, or join its GET queued or running (see the file comment). */
  read(objectKey: string): Promise<EtagEntry | null> {
    const current = this.inflight.get(objectKey);
    if (current && !current.stale) return current.result;
    const flags = { sent: false, stale: false };
    const start = (): Promise<EtagEntry | null> => this.slot(objectKey, flags);
    const result = (
      current ? current.result.then(start, start) : start()
    ).finally(() => {
      if (this.inflight.get(objectKey) === get) this.inflight.delete(objectKey);
    });
    const get: KeyGet = Object.assign(flags, { result });
    this.inflight.set(objectKey, get);
    return get.result;
  }

  /** The object was written: a GET of it already sent may hold older bytes, later reads start a fresh one. */
  forget(objectKey: string): void {
    const current = this.inflight.get(objectKey);
    if (current?.sent) current.stale = true;
  }

  private async slot(
    objectKey: string,
    get: { sent: boolean },
  ): Promise<EtagEntry | null> {
    const ticket = ++this.queued;
    if (this.active < this.limit) this.active++;
    else await new Promise<void>((r) => this.queue.push(r));
    this.peak = Math.max(this.peak, this.active);
    try {
      // A read queued before an outage showed up fails with it without another GET.
      if (this.failure && ticket < this.failure.before)
        throw this.failure.error;
      get.sent = true;
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
