/**
 * Bounded waits and once-per-outage logging for ioredis clients (plain, Sentinel, Cluster).
 * ioredis queues commands while it reconnects and retries them for a long time (20
 * reconnects per command, about 10 s for a read and 30 s for a write; forever for Sentinel
 * and Cluster when no node answers). Celery (redis-py) fails such a call at once. Here a call
 * waits at most `unavailableTimeoutMs` for a connection that is down, then fails with
 * `BackendUnavailableError`; a short blip (a restart, a failover) is ridden over.
 */
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { redactDriverError } from '../../errors/driver-error.redactor.js';
import { hooked, mappedError, type CallHooks } from './redis-call.hooks.js';
import {
  PendingCallList,
  type PendingCallNode,
} from './redis-pending-call.list.js';
import {
  isWrongDatabase,
  permanentRedisError,
  redisConfigurationError,
} from './redis-reply.errors.js';

/** Default bound of a call while the connection is down, ms. */
export const DEFAULT_REDIS_UNAVAILABLE_TIMEOUT_MS = 5000;

/** The client surface the helpers need (Redis and Cluster both have it). @internal */
export interface RedisStatusSource {
  readonly status: string;
  on(event: 'error' | 'node error', fn: (err: Error) => void): unknown;
  on(event: 'ready', fn: () => void): unknown;
}

/** A plain or Sentinel ioredis client: its `db` option and `select`. */
interface SelectingClient {
  readonly options?: { readonly db?: number };
  select(db: number): Promise<unknown>;
}

interface PendingCall<T> extends PendingCallNode<PendingCall<T>> {
  readonly start: number;
  readonly resolve: (value: T) => void;
  readonly reject: (err: Error) => void;
  readonly op: () => Promise<T>;
  /** False while the call waits for the connection (not sent yet). */
  sent: boolean;
}

/**
 * Bounds calls on a connection that is down. A call made while the connection is not ready
 * waits for it without being sent (so a call that failed is never applied later) and fails
 * after `timeoutMs`; a call in flight when the connection drops fails after `timeoutMs` of
 * outage (ioredis may still resend it on reconnect: its outcome is unknown, as after any
 * timeout). One unref'd interval timer while calls are pending, no timer per call. A
 * connected but silent server is the stall watchdog's business (`redis_socket_timeout`).
 * An error retrying cannot heal (wrong password, bad database number: see
 * `redis-reply.errors.ts`) fails every pending and later call at once with a permanent
 * BackendUnavailableError, until the connection is ready again (credentials fixed on the
 * server; a bad database number stays). A timed-out call carries the last connection error.
 * @internal
 */
export class RedisCallDeadline {
  private readonly pending = new PendingCallList<PendingCall<unknown>>();
  private downSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastError: Error | null = null;
  private misconfigured: Error | null = null;
  /** The database ioredis SELECTs on each connect (0 for Cluster, which has no `db`). */
  private readonly db: number;
  /** False from each `ready` until our own SELECT of `db` succeeded (see {@link verify}). */
  private verified: boolean;

  constructor(
    private readonly client: RedisStatusSource,
    private readonly timeoutMs: number,
    private readonly description: string,
    private readonly hooks: CallHooks = {},
  ) {
    this.db = (client as unknown as SelectingClient).options?.db ?? 0;
    this.verified = this.db === 0;
    const onError = (err: Error): void => this.failed(err);
    client.on('error', onError);
    client.on('node error', onError);
    client.on('ready', () => {
      this.downSince = null;
      this.lastError = null;
      if (this.misconfigured && !isWrongDatabase(this.misconfigured))
        this.misconfigured = null;
      if (this.misconfigured) return this.rejectAll();
      if (this.db === 0) return this.release();
      this.verified = false;
      this.verify();
    });
    if (this.db !== 0 && client.status === 'ready') this.verify();
  }

  /**
   * ioredis SELECTs `db` on connect but emits `ready` (and sends queued commands) without
   * waiting for that reply: with a database number the server lacks, the first commands ran
   * on database 0. Calls wait until our own SELECT on the same connection succeeded; when it
   * fails, the error is the configuration error every call then gets.
   */
  private verify(): void {
    (this.client as unknown as SelectingClient).select(this.db).then(
      () => {
        this.verified = true;
        this.release();
      },
      (err: unknown) => {
        if (err instanceof Error) this.failed(err);
      },
    );
  }

  private release(): void {
    for (const call of this.pending.snapshot()) if (!call.sent) this.send(call);
  }

  /** The permanent BackendUnavailableError calls fail with now, if any. */
  configurationError(): Error | undefined {
    return this.misconfigured
      ? redisConfigurationError(this.description, this.misconfigured)
      : undefined;
  }

  /** The last connection error since the connection was last ready, if any. */
  get lastConnectionError(): Error | null {
    return this.lastError;
  }

  /**
   * `op()` under the hooks, rejected with BackendUnavailableError once it waited too long on a
   * down connection.
   */
  run<T>(op: () => Promise<T>): Promise<T> {
    const misconfigured = this.configurationError();
    if (misconfigured) return Promise.reject(misconfigured);
    if (this.timeoutMs <= 0) return hooked(op, this.hooks);
    const ready = this.client.status === 'ready';
    if (ready) this.downSince = null;
    else this.downSince ??= Date.now();
    if (!this.timer) this.arm();
    return new Promise<T>((resolve, reject) => {
      const call: PendingCall<T> = {
        // Only a call that waits for the connection counts from its start; one sent while
        // ready counts from when the connection went down (see check()).
        start: ready ? 0 : Date.now(),
        reject,
        resolve,
        op,
        sent: false,
        prev: null,
        next: null,
        listed: false,
      };
      this.pending.add(call as PendingCall<unknown>);
      if (ready && this.verified) this.send(call);
    });
  }

  /** Sends a pending call; it stays pending (bounded by the outage) until it settles. */
  private send<T>(call: PendingCall<T>): void {
    call.sent = true;
    const hooks = this.hooks;
    hooks.observer?.enter();
    call.op().then(
      (v) => {
        hooks.observer?.leave();
        this.pending.delete(call as PendingCall<unknown>);
        hooks.succeeded?.();
        call.resolve(v);
      },
      (err: unknown) => {
        hooks.observer?.leave();
        this.pending.delete(call as PendingCall<unknown>);
        call.reject(mappedError(hooks, err));
      },
    );
  }

  /** Fail every pending call now (the store is closing). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private failed(err: Error): void {
    this.lastError = redactDriverError(err);
    const permanent = permanentRedisError(err);
    if (!permanent) return;
    this.misconfigured = permanent;
    this.rejectAll();
  }

  /** Fail every pending call with the configuration error. */
  private rejectAll(): void {
    const err = this.configurationError();
    if (!err) return;
    for (const call of this.pending.snapshot()) {
      this.pending.delete(call);
      call.reject(err);
    }
  }

  private sample(now: number): void {
    if (this.client.status === 'ready') this.downSince = null;
    else this.downSince ??= now;
  }

  private arm(): void {
    if (this.timer) return;
    const every = Math.max(20, Math.min(250, Math.floor(this.timeoutMs / 4)));
    this.timer = setInterval(() => this.check(), every);
    this.timer.unref();
  }

  private check(): void {
    const now = Date.now();
    this.sample(now);
    if (this.pending.size === 0) return this.stop();
    if (this.downSince === null) return;
    for (const call of this.pending.snapshot()) {
      if (now - Math.max(call.start, this.downSince) < this.timeoutMs) continue;
      this.pending.delete(call);
      const last = this.lastError;
      call.reject(
        new BackendUnavailableError(
          this.description,
          `no connection within ${this.timeoutMs} ms (connection is ${this.client.status}` +
            `${last ? `; last error: ${last.message}` : ''})`,
          last ? { cause: last } : undefined,
        ),
      );
    }
  }
}
