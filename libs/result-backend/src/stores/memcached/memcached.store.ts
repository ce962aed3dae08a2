/**
 * The memcached result store (`cache+memcached://h1:p1;h2:p2/`), over a small pipelined
 * text-protocol client of our own (see docs/memcached.md for why not memjs):
 * - keys go to the server pylibmc would pick (one-at-a-time hash, modula), so Celery finds them;
 * - values are written with client flags 16, as pylibmc writes `str`;
 * - writes use the meta protocol: one round trip, and CAS keeps "SUCCESS is final" under races;
 * - `mget` sends one multi-key `get` per server, all servers in parallel.
 */
import type { MemcachedBackendConfig } from './memcached.options.js';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { ImproperlyConfiguredError } from '../../errors/improperly-configured.error.js';
import { MalformedResultError } from '../../errors/malformed-result.error.js';
import { PayloadTooLargeError } from '../../errors/payload-too-large.error.js';
import type { ResultStore, WriteOutcome } from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import { GetBatcher } from './get-batcher.util.js';
import { KeyQueue } from '../../utils/key-queue.util.js';
import {
  assertMemcachedKey,
  decodeStoredValue,
} from './memcached-codec.util.js';
import {
  McConnection,
  type McConnectionOptions,
} from './memcached-connection.client.js';
import {
  describeReply,
  expectMeta,
  toStoreError,
} from './memcached-errors.util.js';
import { toExptime } from './memcached-expiry.util.js';
import {
  CasTokens,
  guardedWrite,
  plainWrite,
} from './memcached-guarded-write.util.js';
import { pickServerIndex } from './memcached-hash.util.js';
import { McServerReplyError, type McItem } from './memcached-reply.parser.js';

/** Connection timing defaults: fail within 3 s, retry a failed server after 1 s. */
const DEFAULT_OPTIONS: McConnectionOptions = {
  timeoutMs: 3000,
  retryDelayMs: 1000,
};
/** Keys per `get` command; a multi-get may hold several, pipelined in one write. */
const KEYS_PER_GET = 100;

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
    this.description = `cache+memcached://${config.servers.map((s) => `${s.host}:${s.port}`).join(';')}/`;
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
    if (data.length > this.ctx.maxPayloadBytes) {
      throw new PayloadTooLargeError(
        key,
        data.length,
        this.ctx.maxPayloadBytes,
      );
    }
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
    await this.call(key, async () => {
      const [reply] = await this.connFor(key).request(`md ${key}\r\n`, [
        'meta',
      ]);
      expectMeta(reply, ['HD', 'NF']);
    });
  }

  /**
   * Celery's `incr` plus `touch`, atomic in one `ma` command. A missing counter (Celery sets
   * `"0"` when the chord is applied) is created as 1, as if it had been 0: N vivifies on miss.
   */
  async incr(key: string, ttl: number | null): Promise<number> {
    assertMemcachedKey(key);
    const exp = toExptime(ttl);
    const reply = await this.call(key, async () => {
      const [r] = await this.connFor(key).request(
        `ma ${key} N${exp} J1 T${exp} v\r\n`,
        ['meta'],
      );
      if (
        r instanceof McServerReplyError &&
        r.line.startsWith('CLIENT_ERROR')
      ) {
        throw new MalformedResultError(key, `not a counter (${r.line})`);
      }
      return expectMeta(r, ['VA']);
    });
    const n = Number(reply.data?.toString('latin1'));
    if (!Number.isSafeInteger(n))
      throw new MalformedResultError(key, 'counter reply is not an integer');
    return n;
  }

  /** `version` on every server, over the store's own connections. */
  async ping(): Promise<void> {
    await Promise.all(
      this.conns.map((conn) =>
        this.call(conn.address, async () => {
          const [reply] = await conn.request('version\r\n', ['line']);
          if (
            reply instanceof McServerReplyError ||
            reply.type !== 'line' ||
            !reply.line.startsWith('VERSION ')
          ) {
            throw new BackendUnavailableError(
              this.description,
              `${conn.address} answered ${describeReply(reply)} to "version"`,
            );
          }
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

  /** One request line per 100 keys, all in one write; items of the keys found. */
  private multiGet(
    conn: McConnection,
    keys: readonly string[],
  ): Promise<McItem[]> {
    const commands: string[] = [];
    for (let i = 0; i < keys.length; i += KEYS_PER_GET) {
      commands.push(`get ${keys.slice(i, i + KEYS_PER_GET).join(' ')}\r\n`);
    }
    return this.call(keys[0], async () => {
      const replies = await conn.request(
        commands.join(''),
        commands.map(() => 'values'),
      );
      return replies.flatMap((reply) => {
        if (reply instanceof McServerReplyError) throw reply;
        if (reply.type !== 'values')
          throw new McServerReplyError(
            `unexpected reply ${describeReply(reply)}`,
          );
        return [...reply.items];
      });
    });
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

/**
 * Open the memcached store for `cache+memcached://` (servers in Celery's order, which decides
 * key placement). Connections open lazily on first use; nothing is sent until then.
 * `options` (timeouts) is for tests and tuning.
 * @publicApi
 */
export async function createMemcachedStore(
  config: MemcachedBackendConfig,
  ctx: StoreContext,
  options: Partial<McConnectionOptions> = {},
): Promise<ResultStore> {
  if (config.servers.length === 0) {
    throw new ImproperlyConfiguredError(
      'CELERY_RESULT_BACKEND',
      'no memcached server given',
      'cache+memcached://127.0.0.1:11211/',
    );
  }
  return Promise.resolve(
    new MemcachedStore(config, ctx, { ...DEFAULT_OPTIONS, ...options }),
  );
}
