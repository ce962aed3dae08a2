import type { LoggerService } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { PayloadTooLargeError } from '../../errors/payload-too-large.error.js';
import type {
  BackendKind,
  ResultStore,
  StoreChordCounter,
  WriteOutcome,
} from '../result-store.interface.js';
import { closeRedisClient } from './redis-client.util.js';
import { RedisChordCounter } from './redis-chord.counter.js';
import { RedisPubSubPush } from './redis-pubsub.push.js';
import {
  defineRedisScripts,
  ttlArgument,
  type RedisScriptCommands,
} from './redis-scripts.util.js';

/** Keys per MGET command. */
const MGET_CHUNK = 1000;

/** Ready clients and settings of a {@link RedisResultStore}. @internal */
export interface RedisResultStoreOptions {
  /** `redis`, `sentinel` (or a later kind reusing this logic). */
  readonly kind: BackendKind;
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
  readonly kind: BackendKind;
  readonly description: string;
  readonly autoExpires = true;
  readonly push: RedisPubSubPush;
  readonly chord: StoreChordCounter;
  private readonly client: Redis;
  private readonly scripts: RedisScriptCommands;
  private closing: Promise<void> | null = null;
  private lastError = '';
  private everReady = false;

  constructor(private readonly options: RedisResultStoreOptions) {
    this.kind = options.kind;
    this.description = options.description;
    this.client = options.client;
    this.scripts = defineRedisScripts(options.client);
    this.client.on('error', (err: Error) => {
      if (err.message === this.lastError) return; // one line per outage, not one per retry
      this.lastError = err.message;
      options.logger.warn?.(
        `Redis ${this.description}: ${err.message}`,
        'ResultBackend',
      );
    });
    this.client.on('ready', () => {
      this.everReady = true;
      this.lastError = '';
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
    });
  }

  /** GET; missing or empty ⇒ null. */
  async get(key: string): Promise<string | null> {
    this.assertOpen();
    const v = await this.client.get(key);
    return v === null || v === '' ? null : v;
  }

  /** MGET in chunks of 1000 keys (sent together: one auto-pipelined write). */
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    this.assertOpen();
    if (keys.length === 0) return [];
    const parts: Promise<(string | null)[]>[] = [];
    for (let i = 0; i < keys.length; i += MGET_CHUNK)
      parts.push(this.client.mget(keys.slice(i, i + MGET_CHUNK)));
    const out: (string | null)[] = [];
    for (const part of await Promise.all(parts))
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
    const size = Buffer.byteLength(value);
    if (size > this.options.maxPayloadBytes)
      throw new PayloadTooLargeError(key, size, this.options.maxPayloadBytes);
    const written = await this.scripts.celerySet(
      key,
      value,
      ttlArgument(ttl),
      guardSuccess ? '1' : '0',
    );
    return written === 1 ? 'written' : 'kept-success';
  }

  /** DEL. */
  async delete(key: string): Promise<void> {
    this.assertOpen();
    await this.client.del(key);
  }

  /** INCR, plus EXPIRE when ttl, in one script. */
  async incr(key: string, ttl: number | null): Promise<number> {
    this.assertOpen();
    return Number(await this.scripts.celeryIncr(key, ttlArgument(ttl)));
  }

  /** PING on the command connection; rejects at once while it is reconnecting (no new connection). */
  async ping(): Promise<void> {
    this.assertOpen();
    const status = this.client.status;
    // Only the very first connection may still be on its way; after that, anything but
    // 'ready' means the server is gone (reconnect cycle) and PING would only sit queued.
    const firstConnect =
      !this.everReady &&
      (status === 'wait' || status === 'connecting' || status === 'connect');
    if (status !== 'ready' && !firstConnect) {
      throw new BackendUnavailableError(
        this.description,
        `connection is ${status}`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = this.options.pingTimeoutMs ?? 5000;
    try {
      await Promise.race([
        this.client.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new BackendUnavailableError(
                  this.description,
                  `no PONG within ${timeoutMs} ms`,
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } catch (err) {
      if (err instanceof BackendUnavailableError) throw err;
      throw new BackendUnavailableError(
        this.description,
        (err as Error).message,
        { cause: err },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** QUIT both connections (or drop them when not connected). Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([this.push.close(), closeRedisClient(this.client)]);
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing)
      throw new BackendUnavailableError(
        this.description,
        'the store was closed',
      );
  }
}
