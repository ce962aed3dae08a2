import type { LoggerService } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import type {
  ResultStore,
  StoreChordCounter,
  WriteOutcome,
} from '../result-store.interface.js';
import { closeRedisClient } from './redis-client.util.js';
import { pingRedisClient } from './redis-ping.util.js';
import { RedisStallWatchdog } from './redis-stall.watchdog.js';
import {
  DEFAULT_REDIS_UNAVAILABLE_TIMEOUT_MS,
  logRedisOutages,
  RedisCallDeadline,
} from './redis-outage.util.js';
import { RedisChordCounter } from './redis-chord.counter.js';
import { RedisPubSubPush } from './redis-pubsub.push.js';
import {
  defineRedisScripts,
  ttlArgument,
  type RedisScriptCommands,
  runCelerySet,
} from './redis-scripts.util.js';

/** Keys per MGET command. */
const MGET_CHUNK = 1000;

/** Ready clients and settings of a {@link RedisResultStore}. @internal */
export interface RedisResultStoreOptions {
  /** `redis`, `sentinel` (or a later kind reusing this logic). */
  readonly kind: string;
  /** Masked connection description. */
  readonly description: string;
  /** The command connection (connected or connecting). The store owns it and closes it. */
  readonly client: Redis;
  /** Builds the dedicated pub/sub connection; called once, on the first watch. */
  readonly createSubscriber: () => Redis;
  readonly logger: LoggerService;
  /** Largest value accepted by `set()`, bytes. */
  readonly maxPayloadBytes: number;
  /** How long `ping()` waits for PONG, ms (default 5000). */
  readonly pingTimeoutMs?: number;
  /** Celery's socket timeout, ms: reconnect when commands get no reply for this long (0 = off). */
  readonly socketTimeoutMs?: number;
  /** How long a call waits for a connection that is down before failing, ms (default 5000). */
  readonly unavailableTimeoutMs?: number;
}

/**
 * Redis result store over ready ioredis clients: Celery's keys, values and channels, one
 * round trip per write (a Lua script doing SETEX/SET + PUBLISH, atomically guarded so a
 * SUCCESS document is never overwritten), MGET in chunks, and one multiplexed subscriber
 * for every watch. Client construction lives in `redis-client.util.ts`, so Sentinel or
 * Cluster stores can hand in their own clients.
 * @internal
 */
export class RedisResultStore implements ResultStore {
  readonly kind: string;
  readonly description: string;
  readonly autoExpires = true;
  readonly push: RedisPubSubPush;
  readonly chord: StoreChordCounter;
  private readonly client: Redis;
  private readonly scripts: RedisScriptCommands;
  private closing: Promise<void> | null = null;
  private everReady = false;
  private readonly watchdog: RedisStallWatchdog;
  private readonly deadline: RedisCallDeadline;

  constructor(private readonly options: RedisResultStoreOptions) {
    this.kind = options.kind;
    this.description = options.description;
    this.client = options.client;
    this.scripts = defineRedisScripts(options.client);
    this.watchdog = new RedisStallWatchdog(
      this.client,
      options.socketTimeoutMs ?? 120_000,
      (ms) => {
        options.logger.warn?.(
          `Redis ${this.description}: no reply within ${ms} ms, reconnecting`,
        );
      },
    );
    this.deadline = new RedisCallDeadline(
      this.client,
      options.unavailableTimeoutMs ?? DEFAULT_REDIS_UNAVAILABLE_TIMEOUT_MS,
      this.description,
    );
    logRedisOutages(this.client, options.logger, this.description);
    this.client.on('ready', () => {
      this.everReady = true;
    });
    this.push = new RedisPubSubPush(
      options.createSubscriber,
      options.logger,
      this.description,
    );
    this.chord = new RedisChordCounter({
      client: this.client,
      scripts: this.scripts,
      set: (key, value, ttl) => this.set(key, value, ttl, false),
      run: (op) => this.run(op),
    });
  }

  /** GET; missing or empty ⇒ null. */
  async get(key: string): Promise<string | null> {
    const v = await this.run(() => this.client.get(key));
    return v === null || v === '' ? null : v;
  }

  /** MGET in chunks of 1000 keys, all sent at once. */
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return this.run(() => Promise.resolve([]));
    const chunks = await this.run(() => {
      const parts: Promise<(string | null)[]>[] = [];
      for (let i = 0; i < keys.length; i += MGET_CHUNK)
        parts.push(this.client.mget(keys.slice(i, i + MGET_CHUNK)));
      return Promise.all(parts);
    });
    const out: (string | null)[] = [];
    for (const part of chunks)
      for (const v of part) out.push(v === null || v === '' ? null : v);
    return out;
  }

  /** SETEX (SET when ttl is null) + PUBLISH of the same bytes, guarded atomically when asked. */
  async set(
    key: string,
    value: string,
    ttl: number | null,
    guardSuccess: boolean,
  ): Promise<WriteOutcome> {
    this.assertOpen();
    return runCelerySet(this.scripts, (op) => this.run(op), {
      key,
      value,
      ttl,
      guardSuccess,
      maxPayloadBytes: this.options.maxPayloadBytes,
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

  /** PING on the command connection; rejects at once while it is reconnecting (no new connection). */
  async ping(): Promise<void> {
    this.assertOpen();
    await pingRedisClient(this.client, {
      everReady: this.everReady,
      timeoutMs: this.options.pingTimeoutMs ?? 5000,
      description: this.description,
    });
  }

  /** QUIT both connections (or drop them when not connected). Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.watchdog.stop();
      this.deadline.stop();
      await Promise.all([this.push.close(), closeRedisClient(this.client)]);
    })();
    return this.closing;
  }

  /** One command under the stall watchdog (refused once closing). */
  private async run<T>(op: () => Promise<T>): Promise<T> {
    this.assertOpen();
    this.watchdog.enter();
    try {
      return await this.deadline.run(op);
    } catch (err) {
      // Server replies (WRONGTYPE, NOSCRIPT…) are the caller's business; anything else
      // (connection lost, retries exhausted, closed) means the store is unavailable.
      if (err instanceof Error && err.name === 'ReplyError') throw err;
      if (err instanceof BackendUnavailableError) throw err;
      throw new BackendUnavailableError(
        this.description,
        err instanceof Error ? err.message : String(err),
        { cause: err },
      );
    } finally {
      this.watchdog.leave();
    }
  }

  private assertOpen(): void {
    if (this.closing)
      throw new BackendUnavailableError(
        this.description,
        'the store was closed',
      );
  }
}
