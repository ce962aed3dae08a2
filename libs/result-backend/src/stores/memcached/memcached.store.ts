/**
 * The memcached result store (`cache+memcached://h1:p1;h2:p2/`), over a small pipelined
 * text-protocol client of our own (see docs/memcached.md for why not memjs):
 * - keys go to the server pylibmc would pick (one-at-a-time hash, modula), so Celery finds them;
 * - values are written with client flags 16, as pylibmc writes `str`;
 * - writes use the meta protocol: one round trip, and CAS keeps "SUCCESS is final" under races;
 * - `mget` sends one multi-key `get` per server, all servers in parallel.
 */
import {
  memcachedTiming,
  type MemcachedBackendConfig,
} from './memcached.options.js';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import type { ResultStore, WriteOutcome } from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import { GetBatcher } from './memcached-get.batcher.js';
import { KeyQueue } from '../../utils/key.queue.js';
import { assertMemcachedKey, decodeStoredValue } from './memcached.codec.js';
import {
  McConnection,
  type McConnectionOptions,
} from './memcached-connection.client.js';
import { toStoreError } from './memcached.errors.js';
import { toExptime } from './memcached-expiry.encoder.js';
import {
  CasTokens,
  guardedWrite,
  plainWrite,
} from './memcached-guarded.writer.js';
import { pickServerIndex } from './memcached-hash.router.js';
import type { McItem } from './memcached-reply.parser.js';
import {
  mcDelete,
  mcIncrement,
  mcMultiGet,
  mcVersionProblem,
} from './memcached.commands.js';
import { describeMemcached } from './cache-url.parser.js';

/**
 * Open the memcached store for `cache+memcached://` (servers in Celery's order, which decides
 * key placement). Connections open lazily on first use; nothing is sent until then.
 * `options` (timeouts) is for tests and tuning. The config was checked by its URL parser
 * (`parseBackendUrl`: at least one server, valid ports).
 * @publicApi
 */
export async function createMemcachedStore(
  config: MemcachedBackendConfig,
  ctx: StoreContext,
  options: Partial<McConnectionOptions> = {},
): Promise<ResultStore> {
  return Promise.resolve(
    new MemcachedStore(config, ctx, {
      ...memcachedTiming(config),
      ...options,
    }),
  );
}

class MemcachedStore implements ResultStore {
  readonly kind = 'memcached' as const;
  readonly autoExpires = true;
  readonly description: string;
  private readonly conns: McConnection[];
  private readonly tokens = new CasTokens();
  private readonly writes = new KeyQueue();
  private readonly reads = new GetBatcher((i, keys) =>
    this.multiGet(this.conns[i], keys),
  );
  private closed = false;

  constructor(
    config: MemcachedBackendConfig,
    private readonly ctx: StoreContext,
    options: McConnectionOptions,
  ) {
    this.conns = config.servers.map((s) => new McConnection(s, options));
    this.description = ctx.description ?? describeMemcached(config);
  }

  /** Text-protocol keys: no ASCII space or control character, at most 250 UTF-8 bytes. */
  validateKey(key: string): void {
    assertMemcachedKey(key);
  }

  /** Reads issued in the same tick share one multi-key `get` per server. */
  async get(key: string): Promise<string | null> {
    assertMemcachedKey(key);
    const item = await this.reads.get(this.serverIndex(key), key);
    return item ? decodeStoredValue(key, item.flags, item.data) : null;
  }

  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    if (keys.length === 0) return [];
    keys.forEach(assertMemcachedKey);
    const byServer = new Map<number, string[]>();
    for (const key of new Set(keys)) {
      const i = this.serverIndex(key);
      const list = byServer.get(i);
      if (list) list.push(key);
      else byServer.set(i, [key]);
    }
    const found = new Map<string, McItem>();
    await Promise.all(
      [...byServer].map(async ([i, serverKeys]) => {
        for (const item of await this.multiGet(this.conns[i], serverKeys))
          found.set(item.key, item);
      }),
    );
    return keys.map((key) => {
      const item = found.get(key);
      return item ? decodeStoredValue(key, item.flags, item.data) : null;
    });
  }

  async set(
    key: string,
    value: string,
    ttl: number | null,
    guardSuccess: boolean,
  ): Promise<WriteOutcome> {
    assertMemcachedKey(key);
    const data = Buffer.from(value, 'utf8');
    const conn = this.connFor(key);
    const write = guardSuccess ? guardedWrite : plainWrite;
    return this.writes.run(key, () =>
      this.call(
        key,
        () => write(conn, key, data, toExptime(ttl), this.tokens),
        data.length,
      ),
    );
  }

  async delete(key: string): Promise<void> {
    assertMemcachedKey(key);
    this.tokens.delete(key);
    await this.call(key, () => mcDelete(this.connFor(key), key));
  }

  /**
   * Celery's `incr` plus `touch`, atomic in one `ma` command. A missing counter (Celery sets
   * `"0"` when the chord is applied) is created as 1, as if it had been 0: N vivifies on miss.
   */
  async incr(key: string, ttl: number | null): Promise<number> {
    assertMemcachedKey(key);
    return this.call(key, () =>
      mcIncrement(this.connFor(key), key, toExptime(ttl)),
    );
  }

  /** `version` on every server, over the store's own connections. */
  async ping(): Promise<void> {
    await Promise.all(
      this.conns.map((conn) =>
        this.call(conn.address, async () => {
          const problem = await mcVersionProblem(conn);
          if (problem !== null)
            throw new BackendUnavailableError(
              this.description,
              `${conn.address} answered ${problem} to "version"`,
            );
        }),
      ),
    );
  }

  close(): Promise<void> {
    this.closed = true;
    for (const conn of this.conns) conn.close();
    return Promise.resolve();
  }

  private serverIndex(key: string): number {
    return pickServerIndex(key, this.conns.length);
  }

  private connFor(key: string): McConnection {
    return this.conns[this.serverIndex(key)];
  }

  /** One multi-key `get` on one server (see {@link mcMultiGet}). */
  private multiGet(
    conn: McConnection,
    keys: readonly string[],
  ): Promise<McItem[]> {
    return this.call(keys[0], () => mcMultiGet(conn, keys));
  }

  /** Run one server call, turning transport and server failures into typed errors. */
  private async call<T>(
    key: string,
    fn: () => Promise<T>,
    size = 0,
  ): Promise<T> {
    if (this.closed)
      throw new BackendUnavailableError(
        this.description,
        'the store is closed',
      );
    try {
      return await fn();
    } catch (err) {
      throw toStoreError(err, this.description, key, size);
    }
  }
}
