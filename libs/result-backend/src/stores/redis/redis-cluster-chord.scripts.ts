import type { Cluster } from 'ioredis';
import type { RedisScriptCommands } from './redis.scripts.js';
import { groupBySlot, keySlot } from './redis-cluster-slot.router.js';

/**
 * `celeryChordJoin j score member ttl` → count: ZADD, ZCOUNT -inf +inf and EXPIRE (when ttl)
 * on the `.j` sorted set alone, atomically. Every part sees a distinct count, so exactly one
 * part sees the header complete, whatever slots `.t` and `.s` live in.
 * @internal
 */
export const CELERY_CHORD_JOIN_LUA = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local count = redis.call('ZCOUNT', KEYS[1], '-inf', '+inf')
if ARGV[3] ~= '' then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
return count
`;

interface JoinCommand {
  celeryChordJoin(
    j: string,
    score: string,
    member: string,
    ttl: string,
  ): Promise<number>;
}

/**
 * Chord bookkeeping on a cluster, keeping Celery's key names (`<gid key>.j/.t/.s`, which hash
 * to different slots unless the key prefix carries a hash tag):
 * - all three keys in one slot: Celery's whole pipeline as one script (fully atomic);
 * - otherwise: ZADD + count + EXPIRE of `.j` in one script (the part that decides completion
 *   stays atomic), then GET `.t`, GET `.s` and EXPIRE of both as single-key commands. `.s` is
 *   written before any part returns, so reading it after the ZADD sees it.
 * @internal
 */
export class ClusterChordScripts {
  private readonly join: JoinCommand;

  constructor(
    private readonly cluster: Cluster,
    private readonly scripts: Pick<RedisScriptCommands, 'celeryChordPart'>,
  ) {
    const c = cluster as Cluster & Partial<JoinCommand>;
    if (typeof c.celeryChordJoin !== 'function')
      cluster.defineCommand('celeryChordJoin', {
        numberOfKeys: 1,
        lua: CELERY_CHORD_JOIN_LUA,
      });
    this.join = cluster as unknown as JoinCommand;
  }

  /** `[count, .t, .s]` as Celery's `on_chord_part_return` pipeline returns them. */
  readonly part: RedisScriptCommands['celeryChordPart'] = async (
    j,
    t,
    s,
    score,
    member,
    ttl,
  ) => {
    const slot = keySlot(j);
    if (keySlot(t) === slot && keySlot(s) === slot)
      return this.scripts.celeryChordPart(j, t, s, score, member, ttl);
    const count = await this.join.celeryChordJoin(j, score, member, ttl);
    const [extra, size] = await Promise.all([
      this.cluster.get(t),
      this.cluster.get(s),
      ...(ttl !== ''
        ? [this.cluster.expire(t, ttl), this.cluster.expire(s, ttl)]
        : []),
    ]);
    return [count, extra, size];
  };

  /** DEL of keys in any slots: one DEL per slot, sent together; returns how many were deleted. */
  async delMany(keys: readonly string[]): Promise<number> {
    const counts = await Promise.all(
      groupBySlot(keys).map((idx) =>
        this.cluster.del(...idx.map((i) => keys[i])),
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  }
}
