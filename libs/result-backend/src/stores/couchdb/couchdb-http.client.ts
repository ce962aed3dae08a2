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

/**
 * A kept-alive connection the server closed while it sat idle (Node's HTTP servers close idle
 * sockets after 5 s): the request never reached CouchDB, so sending it once more on a fresh
 * connection is safe. nano passes undici's `SocketError` on (`UND_ERR_SOCKET`, "other side
 * closed") or the reset's code.
 * @internal
 */
export function isStaleConnection(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 4; depth++) {
    const o = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (o.code === 'UND_ERR_SOCKET' || o.code === 'ECONNRESET') return true;
    if (
      typeof o.message === 'string' &&
      /other side closed|socket hang up|ECONNRESET/.test(o.message)
    )
      return true;
    e = o.cause;
  }
  return false;
}

/** Reads, and writes CouchDB guards by revision (a repeat is a 409 the writer resolves). */
const RETRIED_METHODS = new Set(['GET', 'HEAD', 'PUT', undefined]);

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

  /**
   * Low-level: any request, with the store's abort signal and a timeout. A read or a PUT that
   * met a kept-alive socket the server had just closed is sent once more (see
   * {@link isStaleConnection}); every other failure is reported as it is.
   */
  async send<T>(
    opts: RequestOptions,
    timeoutMs = this.timeoutMs,
    signal?: AbortSignal,
  ): Promise<T> {
    try {
      return await this.sendOnce<T>(opts, timeoutMs, signal);
    } catch (err) {
      const method = opts.method?.toUpperCase();
      if (
        !(err instanceof StaleConnectionError) ||
        !RETRIED_METHODS.has(method)
      )
        throw err instanceof StaleConnectionError ? err.unavailable : err;
      try {
        return await this.sendOnce<T>(opts, timeoutMs, signal);
      } catch (again) {
        throw again instanceof StaleConnectionError ? again.unavailable : again;
      }
    }
  }

  private async sendOnce<T>(
    opts: RequestOptions,
    timeoutMs: number,
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
      const unavailable = new BackendUnavailableError(this.description, why);
      if (!this.closed && !timedOut && isStaleConnection(err))
        throw new StaleConnectionError(unavailable);
      throw unavailable;
    } finally {
      clearTimeout(t);
      ctrl.signal.removeEventListener('abort', onAbort);
      this.closing.signal.removeEventListener('abort', abort);
      signal?.removeEventListener('abort', abort);
    }
  }
}

/** Internal marker: the first attempt met a stale kept-alive socket. */
class StaleConnectionError extends Error {
  constructor(readonly unavailable: BackendUnavailableError) {
    super(unavailable.message);
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
