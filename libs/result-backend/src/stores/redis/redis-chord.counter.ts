import type { Redis } from 'ioredis';
import type { StoreChordCounter } from '../result-store.interface.js';
import { ttlArgument, type RedisScriptCommands } from './redis.scripts.js';

/** What the chord counter needs from the store: its SET+PUBLISH path and a client. @internal */
export interface RedisChordDeps {
  readonly client: Pick<Redis, 'zrange' | 'del'>;
  readonly scripts: Pick<RedisScriptCommands, 'celeryChordPart'>;
  /** The store's write path (SETEX/SET + PUBLISH), unguarded. */
  set(key: string, value: string, ttl: number | null): Promise<unknown>;
  /** Runs one command under the store's open check and stall watchdog. */
  run<T>(op: () => Promise<T>): Promise<T>;
}

/** ZADD score text as redis-py sends it: `0`, `1.5`, `+inf`, `-inf`. */
function scoreArgument(score: number): string {
  if (Number.isNaN(score))
    throw new TypeError('chord part score must be a number, got NaN');
  if (score === Infinity) return '+inf';
  if (score === -Infinity) return '-inf';
  return String(score);
}

/** Decimal integer text (`.s`, `.t`) → number; anything else → null. */
function intOrNull(text: string | null): number | null {
  if (text === null || !/^\s*[+-]?\d+\s*$/.test(text)) return null;
  return Number.parseInt(text, 10);
}

/**
 * Celery's Redis chord layout: `<group key>.j` sorted set of encoded parts scored by group
 * index, `.t` (extra tasks added by `add_to_chord`) and `.s` (header size, decimal text).
 * @internal
 */
export class RedisChordCounter implements StoreChordCounter {
  constructor(private readonly deps: RedisChordDeps) {}

  /** `SETEX <gid key>.s ttl <size>` + PUBLISH, as Celery's `set_chord_size`. */
  async setSize(
    groupKey: string,
    size: number,
    ttl: number | null,
  ): Promise<void> {
    if (!Number.isSafeInteger(size) || size < 0)
      throw new TypeError(`chord size must be a whole number, got ${size}`);
    await this.deps.set(`${groupKey}.s`, String(size), ttl);
  }

  /** One atomic script: ZADD, ZCOUNT, GET .t, GET .s, EXPIRE ×3 (when ttl). */
  async addPart(
    groupKey: string,
    member: string,
    score: number,
    ttl: number | null,
  ): ReturnType<StoreChordCounter['addPart']> {
    const [done, extra, size] = await this.deps.run(() =>
      this.deps.scripts.celeryChordPart(
        `${groupKey}.j`,
        `${groupKey}.t`,
        `${groupKey}.s`,
        scoreArgument(score),
        member,
        ttlArgument(ttl),
      ),
    );
    return {
      done: Number(done),
      size: intOrNull(size),
      extra: intOrNull(extra) ?? 0,
    };
  }

  /** `ZRANGE <gid key>.j 0 -1`: raw members in score order. */
  parts(groupKey: string): Promise<string[]> {
    return this.deps.run(() => this.deps.client.zrange(`${groupKey}.j`, 0, -1));
  }

  /** `DEL .j .t .s` in one command (Celery sends three DELs in one MULTI). */
  async clear(groupKey: string): Promise<void> {
    await this.deps.run(() =>
      this.deps.client.del(`${groupKey}.j`, `${groupKey}.t`, `${groupKey}.s`),
    );
  }
}
