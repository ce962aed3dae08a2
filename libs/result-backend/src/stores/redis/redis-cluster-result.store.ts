import type { Cluster } from 'ioredis';
import type { StoreChordCounter } from '../result-store.interface.js';
import { RedisChordCounter } from './redis-chord.counter.js';
import { ClusterChordScripts } from './redis-cluster-chord.scripts.js';
import { checkClusterHealth } from './redis-cluster.probe.js';
import { groupBySlot, keySlot } from './redis-cluster-slot.router.js';
import {
  MGET_CHUNK,
  RedisStoreBase,
  storedValue,
  type RedisStoreBaseOptions,
} from './redis-base.store.js';

/**
 * Replies and client errors that mean "the cluster (or part of it) cannot serve this now":
 * they become BackendUnavailableError (a MOVED/ASK reaching us means ioredis could not follow
 * the redirection, e.g. to a dead node). Anything else (WRONGTYPE, script errors) is passed on.
 * @internal
 */
export const CLUSTER_OUTAGE =
  /^(CLUSTERDOWN|TRYAGAIN|MASTERDOWN|LOADING|READONLY|MOVED|ASK) |Too many Cluster redirections|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Failed to refresh slots cache|None of startup nodes|Cluster isn't ready|MaxRetriesPerRequest|offline queue/i;

/** Ready clients and settings of a {@link RedisClusterResultStore}. @internal */
export interface RedisClusterResultStoreOptions extends RedisStoreBaseOptions {
  /** The cluster command client. The store owns it and closes it. */
  readonly cluster: Cluster;
}

/**
 * Redis Cluster result store (see {@link RedisStoreBase}), with Celery's keys and values
 * unchanged:
 * - single-key commands (GET, the SET+PUBLISH guard script, DEL, INCR) are routed by ioredis;
 * - MGET is split by hash slot (one MGET per slot, pipelined per node);
 * - chord bookkeeping runs as one script when `.j`, `.t` and `.s` share a slot (hash-tagged
 *   prefix), else as a script on `.j` (ZADD + count, atomic) plus single-key reads;
 * - one pub/sub connection to any node receives every result (classic PUBLISH is relayed
 *   cluster-wide), and moves to another node when its node dies.
 * @internal
 */
export class RedisClusterResultStore extends RedisStoreBase<Cluster> {
  readonly kind = 'redis-cluster' as const;
  readonly chord: StoreChordCounter;

  constructor(options: RedisClusterResultStoreOptions) {
    super(options.cluster, options);
    const chordScripts = new ClusterChordScripts(this.client, this.scripts);
    this.chord = new RedisChordCounter({
      client: {
        zrange: (key: string, start: number, stop: number) =>
          this.client.zrange(key, start, stop),
        del: (...keys: string[]) => chordScripts.delMany(keys),
      } as ConstructorParameters<typeof RedisChordCounter>[0]['client'],
      scripts: { celeryChordPart: chordScripts.part },
      set: (key, value, ttl) => this.set(key, value, ttl, false),
      run: (op) => this.run(op),
    });
  }

  /**
   * One MGET per hash slot (chunks of 1000 keys); the MGETs for one node go in one pipeline
   * (one round trip per node). A pipeline that meets a topology change (MOVED, node down) is
   * retried as single MGETs, which follow redirections. Results in key order.
   */
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    return this.run(async () => {
      const out = new Array<string | null>(keys.length).fill(null);
      const fill = (
        idx: readonly number[],
        values: readonly (string | null)[],
      ): void =>
        values.forEach((v, n) => {
          out[idx[n]] = storedValue(v);
        });
      const single = (idx: readonly number[]): Promise<void> =>
        this.client.mget(idx.map((k) => keys[k])).then((v) => fill(idx, v));
      await Promise.all(
        [...this.batchesByNode(keys).values()].map(async (batches) => {
          if (batches.length === 1) return single(batches[0]);
          const pipeline = this.client.pipeline();
          for (const idx of batches) pipeline.mget(idx.map((k) => keys[k]));
          const replies = await pipeline.exec().catch(() => null);
          const retries: Promise<void>[] = [];
          batches.forEach((idx, n) => {
            const [err, values] = replies?.[n] ?? [new Error('no reply'), null];
            if (err || !Array.isArray(values)) retries.push(single(idx));
            else fill(idx, values as (string | null)[]);
          });
          await Promise.all(retries);
        }),
      );
      return out;
    });
  }

  /** See {@link checkClusterHealth}: every slot-owning master up and answering, state ok. */
  async ping(): Promise<void> {
    this.assertOpen();
    await checkClusterHealth(this.client, this.description, this.pingTimeoutMs);
  }

  /** Outage replies and client errors ({@link CLUSTER_OUTAGE}); anything else is passed on. */
  protected isOutage(err: unknown): boolean {
    return CLUSTER_OUTAGE.test((err as Error)?.message ?? String(err));
  }

  /** Key indexes per owning node, in MGET batches of one slot and at most 1000 keys. */
  private batchesByNode(keys: readonly string[]): Map<string, number[][]> {
    const byNode = new Map<string, number[][]>();
    for (const group of groupBySlot(keys)) {
      const node = this.client.slots[keySlot(keys[group[0]])]?.[0] ?? '';
      const batches = byNode.get(node) ?? [];
      for (let i = 0; i < group.length; i += MGET_CHUNK)
        batches.push(group.slice(i, i + MGET_CHUNK));
      byNode.set(node, batches);
    }
    return byNode;
  }
}
