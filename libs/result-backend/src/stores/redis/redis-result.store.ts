import type { Redis } from 'ioredis';
import type { StoreChordCounter } from '../result-store.interface.js';
import { pingRedisClient } from './redis.probe.js';
import { RedisStallWatchdog } from './redis-stall.watchdog.js';
import { RedisChordCounter } from './redis-chord.counter.js';
import {
  MGET_CHUNK,
  RedisStoreBase,
  storedValues,
  type RedisStoreBaseOptions,
} from './redis-base.store.js';

/** Ready clients and settings of a {@link RedisResultStore}. @internal */
export interface RedisResultStoreOptions extends RedisStoreBaseOptions {
  /** `redis`, `sentinel` (or a later kind reusing this logic). */
  readonly kind: string;
  /** The command connection (connected or connecting). The store owns it and closes it. */
  readonly client: Redis;
  /** Celery's socket timeout, ms: reconnect when commands get no reply for this long (0 = off). */
  readonly socketTimeoutMs?: number;
}

/**
 * Redis result store over ready ioredis clients (see {@link RedisStoreBase}), plus what a
 * single server adds: MGET in chunks, Celery's chord layout in one script, PING on the command
 * connection and the stall watchdog (Celery's `redis_socket_timeout`). Client construction
 * lives in `redis-client.factory.ts`, so the Sentinel store hands in its own clients.
 * @internal
 */
export class RedisResultStore extends RedisStoreBase<Redis> {
  readonly kind: string;
  readonly chord: StoreChordCounter;
  private everReady = false;
  private readonly watchdog: RedisStallWatchdog;

  constructor(options: RedisResultStoreOptions) {
    const watchdog = new RedisStallWatchdog(
      options.client,
      options.socketTimeoutMs ?? 120_000,
      (ms) => {
        options.logger.warn?.(
          `Redis ${options.description}: no reply within ${ms} ms, reconnecting`,
        );
      },
    );
    super(options.client, options, watchdog);
    this.kind = options.kind;
    this.watchdog = watchdog;
    this.client.on('ready', () => {
      this.everReady = true;
    });
    this.chord = new RedisChordCounter({
      client: this.client,
      scripts: this.scripts,
      set: (key, value, ttl) => this.set(key, value, ttl, false),
      run: (op) => this.run(op),
    });
  }

  /** MGET in chunks of 1000 keys, all sent at once (one command up to 1000 keys). */
  mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length <= MGET_CHUNK)
      return this.run(() =>
        keys.length === 0
          ? Promise.resolve([])
          : this.client.mget(keys as string[]),
      ).then(storedValues);
    return this.run(() => {
      const parts: Promise<(string | null)[]>[] = [];
      for (let i = 0; i < keys.length; i += MGET_CHUNK)
        parts.push(this.client.mget(keys.slice(i, i + MGET_CHUNK)));
      return Promise.all(parts);
    }).then((chunks) => storedValues(chunks.flat()));
  }

  /** PING on the command connection; rejects at once while it is reconnecting (no new connection). */
  async ping(): Promise<void> {
    this.assertOpen();
    await pingRedisClient(this.client, {
      everReady: this.everReady,
      timeoutMs: this.pingTimeoutMs,
      description: this.description,
      lastError: this.lastConnectionError,
    });
  }

  /**
   * Server replies (WRONGTYPE, NOSCRIPT…) are the caller's business; anything else (connection
   * lost, retries exhausted, closed) means the store is unavailable.
   */
  protected isOutage(err: unknown): boolean {
    return !(err instanceof Error && err.name === 'ReplyError');
  }

  protected override stopTimers(): void {
    this.watchdog.stop();
  }
}
