/**
 * One HTTP round trip to CouchDB through nano's `relax`, with a per-request timeout and the
 * store-wide abort signal (so `close()` ends everything in flight), and errors turned into
 * this library's typed errors without credentials.
 */
import type { CouchDbBackendConfig } from './couchdb.options.js';
import { setMaxListeners } from 'node:events';
import type { RequestOptions, ServerScope } from 'nano';

import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { hostPort, maskedAuth } from '../../config/url-parts.describer.js';

/** An error nano reported for an HTTP status (it sets `statusCode`), or a transport error. */
export interface CouchErrorInfo {
  readonly status: number | undefined;
  readonly error: string | undefined;
  readonly reason: string;
}

/** What nano's rejection tells: status, CouchDB `error` and `reason` (already scrubbed). @internal */
export function couchErrorInfo(err: unknown): CouchErrorInfo {
  const e = (typeof err === 'object' && err !== null ? err : {}) as Record<
    string,
    unknown
  >;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const error = typeof e.error === 'string' ? e.error : undefined;
  const reason =
    typeof e.reason === 'string'
      ? e.reason
      : err instanceof Error
        ? err.message
        : String(err);
  return { status, error, reason };
}

/** HTTP status of a nano rejection, `undefined` for transport errors (refused, reset, aborted). @internal */
export function couchStatus(err: unknown): number | undefined {
  return couchErrorInfo(err).status;
}

/** `couchdb://user:***@host:port/db` (`couchdbs://` for https); never the password. @internal */
export function describeCouchDb(config: CouchDbBackendConfig): string {
  return `${config.protocol === 'https' ? 'couchdbs' : 'couchdb'}://${maskedAuth(config.username, config.password)}${hostPort(config)}/${config.database}`;
}

/** Server URL with credentials, only ever handed to nano (which scrubs them from its errors). @internal */
export function couchServerUrl(config: CouchDbBackendConfig): string {
  const host =
    config.host.includes(':') && !config.host.startsWith('[')
      ? `[${config.host}]`
      : config.host;
  const auth =
    config.username && config.password
      ? `${encodeURIComponent(config.username)}:${encodeURIComponent(config.password)}@`
      : '';
  return `${config.protocol}://${auth}${host}:${config.port}`;
}

/** A request with the abort signal nano's `relax` passes on to `fetch` (missing from its types). */
type SignalledRequest = RequestOptions & { signal?: AbortSignal };

/**
 * Sends requests for one database. Every request is aborted by `close()` and by its own
 * timeout; failures without an HTTP status become {@link BackendUnavailableError}.
 * @internal
 */
export class CouchHttp {
  private readonly closing = new AbortController();

  constructor(
    private readonly server: ServerScope,
    /** Database name (not encoded; nano encodes it). */
    readonly database: string,
    /** Masked description for error messages. */
    readonly description: string,
    /** Default per-request timeout, ms. */
    private readonly timeoutMs: number,
  ) {
    // Every request in flight listens here (removed when it ends): not a leak, so no
    // MaxListenersExceededWarning at 11 concurrent requests.
    setMaxListeners(0, this.closing.signal);
  }

  /** True once {@link abortAll} ran. */
  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** Abort every request in flight and refuse new ones. */
  abortAll(): void {
    this.closing.abort(new Error('closed'));
  }

  /** A request under the database (`path` is appended as-is: encode doc ids yourself). */
  request<T>(
    opts: Omit<RequestOptions, 'db'>,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.send<T>({ ...opts, db: this.database }, timeoutMs, signal);
  }

  /** Low-level: any request, with the store's abort signal and a timeout. */
  async send<T>(
    opts: RequestOptions,
    timeoutMs = this.timeoutMs,
    signal?: AbortSignal,
  ): Promise<T> {
    if (this.closed)
      throw new BackendUnavailableError(this.description, 'store is closed');
    // One controller per request, fed by the store's and the caller's signals through
    // listeners removed afterwards (AbortSignal.any on a long-lived signal accumulates).
    const ctrl = new AbortController();
    let timedOut = false;
    const abort = (): void => ctrl.abort();
    const t = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, timeoutMs);
    this.closing.signal.addEventListener('abort', abort);
    if (signal?.aborted) ctrl.abort();
    signal?.addEventListener('abort', abort);
    const req: SignalledRequest = { ...opts, signal: ctrl.signal };
    // nano may never settle a request aborted while its body streams in: settle it here.
    let onAbort = (): void => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new Error('aborted'));
      ctrl.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return (await Promise.race([this.server.relax(req), aborted])) as T;
    } catch (err) {
      if (couchStatus(err) !== undefined) throw err;
      if (signal?.aborted) throw err;
      const why = this.closed
        ? 'store is closed'
        : timedOut
          ? `no answer within ${timeoutMs} ms`
          : couchErrorInfo(err).reason;
      throw new BackendUnavailableError(this.description, why);
    } finally {
      clearTimeout(t);
      ctrl.signal.removeEventListener('abort', onAbort);
      this.closing.signal.removeEventListener('abort', abort);
      signal?.removeEventListener('abort', abort);
    }
  }
}

/** Turn an HTTP error from CouchDB into a {@link BackendUnavailableError} (other errors pass). @internal */
export function asUnavailable(
  description: string,
  what: string,
  err: unknown,
): unknown {
  const info = couchErrorInfo(err);
  if (info.status === undefined) return err;
  return new BackendUnavailableError(
    description,
    `${what}: HTTP ${info.status} ${info.error ?? ''} ${info.reason}`
      .replace(/\s+/g, ' ')
      .trim(),
  );
}
