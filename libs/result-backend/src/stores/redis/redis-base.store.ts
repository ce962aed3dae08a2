import type { LoggerService } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { redactDriverError } from '../../errors/driver-error.redactor.js';
import type { OutageReporter } from '../store-context.interface.js';
import type {
  ResultStore,
  StoreChordCounter,
  WriteOutcome,
} from '../result-store.interface.js';
import {
  closeRedisClient,
  type ClosableRedisClient,
} from './redis-client.factory.js';
import {
  DEFAULT_REDIS_UNAVAILABLE_TIMEOUT_MS,
  RedisCallDeadline,
} from './redis-outage.watcher.js';
import type { CallObserver } from './redis-call.hooks.js';
import {
  logRedisOutages,
  REDIS_CONNECTION_PART,
} from './redis-outage.reporter.js';
import {
  permanentRedisError,
  redisConfigurationError,
} from './redis-reply.errors.js';
import { RedisPubSubPush } from './redis-pubsub.push.js';
import {
  defineRedisScripts,
  runCelerySet,
  ttlArgument,
  type RedisScriptCommands,
} from './redis.scripts.js';

/** Keys per MGET command. @internal */
export const MGET_CHUNK = 1000;

/** A stored value as Celery reads it: missing or empty ⇒ null. @internal */
export function storedValue(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}

/** {@link storedValue} over MGET's reply, in place (the reply is the caller's to change). @internal */
export function storedValues(values: (string | null)[]): (string | null)[] {
  for (let i = 0; i < values.length; i++)
    if (values[i] === '') values[i] = null;
  return values;
}

/** What every Redis-family store is built from. @internal */
export interface RedisStoreBaseOptions {
  /** Masked connection description. */
  readonly description: string;
  /** Builds the dedicated pub/sub connection; called once, on the first watch. */
  readonly createSubscriber: () => Redis;
  /** Where stalls and other events are reported (never with secrets). */
  readonly logger: LoggerService;
  /** The backend's one outage log, shared by both connections and the watch engine. */
  readonly outage: OutageReporter;
  /** How long `ping()` waits for PONG, ms (default 5000). */
  readonly pingTimeoutMs?: number;
  /** How long a call waits for a connection that is down before failing, ms (default 5000). */
  readonly unavailableTimeoutMs?: number;
}

/**
 * What the plain, Sentinel and Cluster Redis stores share: Celery's keys, values and channels,
 * one round trip per write (the SET+PUBLISH guard script), INCR and DEL, the bounded wait
 * while the connection is down, one multiplexed subscriber for every watch, and an idempotent
 * `close()`. Subclasses add what differs: MGET, PING, the chord layout and which errors mean
 * "unavailable".
 * @internal
 */
export abstract class RedisStoreBase<
  C extends Redis | Cluster,
> implements ResultStore {
  abstract readonly kind: string;
  readonly description: string;
  readonly autoExpires = true;
  readonly push: RedisPubSubPush;
  /** The backend's outage log (the watch engine reports its reads to it too). */
  readonly outage: OutageReporter;
  abstract readonly chord: StoreChordCounter;
  protected readonly scripts: RedisScriptCommands;
  protected readonly pingTimeoutMs: number;
  private readonly deadline: RedisCallDeadline;
  private closing: Promise<void> | null = null;

  protected constructor(
    /** The command client; the store owns it and closes it. */
    protected readonly client: C,
    options: RedisStoreBaseOptions,
    /** The stall watchdog, told when each command is sent and settled (none by default). */
    observer?: CallObserver,
  ) {
    this.description = options.description;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5000;
    this.scripts = defineRedisScripts(client);
    this.deadline = new RedisCallDeadline(
      client,
      options.unavailableTimeoutMs ?? DEFAULT_REDIS_UNAVAILABLE_TIMEOUT_MS,
      options.description,
      {
        observer,
        // A Cluster emits 'error' (slot refresh, a node down) without a later 'ready': a
        // command that worked ends the connection's part of the outage.
        succeeded: () => options.outage.up(REDIS_CONNECTION_PART),
        mapError: (err) => this.storeError(err),
      },
    );
    this.outage = options.outage;
    logRedisOutages(client, options.outage);
    this.push = new RedisPubSubPush(
      options.createSubscriber,
      options.logger,
      options.description,
      options.outage,
    );
  }

  /** Batched GET, in key order. */
  abstract mget(keys: readonly string[]): Promise<(string | null)[]>;

  /** Round trip to the server(s); rejects when unavailable. */
  abstract ping(): Promise<void>;

  /** GET; missing or empty ⇒ null. */
  get(key: string): Promise<string | null> {
    return this.run(() => this.client.get(key)).then(storedValue);
  }

  /** SETEX (SET when ttl is null) + PUBLISH of the same bytes, guarded atomically when asked. */
  set(
    key: string,
    value: string,
    ttl: number | null,
    guardSuccess: boolean,
  ): Promise<WriteOutcome> {
    return runCelerySet(this.scripts, (op) => this.run(op), {
      key,
      value,
      ttl,
      guardSuccess,
    });
  }

  /** DEL. */
  async delete(key: string): Promise<void> {
    await this.run(() => this.client.del(key));
  }

  /** INCR, plus EXPIRE when ttl, in one script. */
  async incr(key: string, ttl: number | null): Promise<number> {
    return Number(
      await this.run(() => this.scripts.celeryIncr(key, ttlArgument(ttl))),
    );
  }

  /** Close the subscriber and the command client. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopTimers();
      this.deadline.stop();
      await Promise.all([
        this.push.close(),
        closeRedisClient(this.client as unknown as ClosableRedisClient),
      ]);
    })();
    return this.closing;
  }

  /** The last connection error since the command connection was last ready, if any. */
  protected get lastConnectionError(): Error | null {
    return this.deadline.lastConnectionError;
  }

  /** Whether a failed command means the store cannot serve now (vs. a reply to pass on). */
  protected abstract isOutage(err: unknown): boolean;

  /** Stops the subclass's own timers when closing. */
  protected stopTimers(): void {}

  /**
   * One command, refused once closing, bounded while the connection is down; outages become
   * BackendUnavailableError, replies that retrying cannot heal (WRONGPASS, NOPERM…) a
   * permanent one. Not `async`: this is every command's path, so no extra promise hops.
   */
  protected run<T>(op: () => Promise<T>): Promise<T> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    return this.deadline.run(op);
  }

  /** The error callers see for a command that failed. */
  private storeError(err: unknown): Error {
    if (err instanceof BackendUnavailableError) return err;
    redactDriverError(err);
    const permanent = permanentRedisError(err);
    if (permanent) return redisConfigurationError(this.description, permanent);
    if (!this.isOutage(err))
      return err instanceof Error ? err : new Error(String(err));
    return new BackendUnavailableError(
      this.description,
      err instanceof Error ? err.message : String(err),
      { cause: err },
    );
  }

  /**
   * Throws BackendUnavailableError once `close()` was called, and a permanent one while the
   * server refuses the configuration (wrong password, bad database number).
   */
  protected assertOpen(): void {
    const refused = this.refusal();
    if (refused) throw refused;
  }

  /** Why calls are refused now (closed, or the server refuses the configuration), if they are. */
  private refusal(): BackendUnavailableError | Error | undefined {
    if (this.closing)
      return new BackendUnavailableError(
        this.description,
        'the store was closed',
      );
    return this.deadline.configurationError();
  }
}
