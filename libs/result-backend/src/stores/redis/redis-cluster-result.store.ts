import type { LoggerService } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import type {
  ResultStore,
  StoreChordCounter,
  WriteOutcome,
} from '../result-store.interface.js';
import {
  closeRedisClient,
  type ClosableRedisClient,
} from './redis-client.util.js';
import { RedisChordCounter } from './redis-chord.counter.js';
import { ClusterChordScripts } from './redis-cluster-chord.util.js';
import { checkClusterHealth } from './redis-cluster-health.util.js';
import { groupBySlot, keySlot } from './redis-cluster-slot.util.js';
import { RedisPubSubPush } from './redis-pubsub.push.js';
import {
  DEFAULT_REDIS_UNAVAILABLE_TIMEOUT_MS,
  logRedisOutages,
  RedisCallDeadline,
} from './redis-outage.util.js';
import {
  defineRedisScripts,
  ttlArgument,
  type RedisScriptCommands,
  runCelerySet,
} from './redis-scripts.util.js';

/** Keys per MGET command (all of one slot). */
const MGET_CHUNK = 1000;

/**
 * Replies and client errors that mean "the cluster (or part of it) cannot serve this now":
 * they become BackendUnavailableError (a MOVED/ASK reaching us means ioredis could not follow
 * the redirection, e.g. to a dead node). Anything else (WRONGTYPE, script errors) is passed on.
 * @internal
 */
export const CLUSTER_OUTAGE =
  /^(CLUSTERDOWN|TRYAGAIN|MASTERDOWN|LOADING|READONLY|MOVED|ASK) |Too many Cluster redirections|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Failed to refresh slots cache|None of startup nodes|Cluster isn't ready|MaxRetriesPerRequest|offline queue/i;

/** Ready clients and settings of a {@link RedisClusterResultStore}. @internal */
export interface RedisClusterResultStoreOptions {
  /** Masked connection description. */
  readonly description: string;
  /** The cluster command client. The store owns it and closes it. */
  readonly cluster: Cluster;
  /** Builds the pub/sub connection (to any node); called once, on the first watch. */
  readonly createSubscriber: () => Redis;
  readonly logger: LoggerService;
  readonly maxPayloadBytes: number;
  /** How long `ping()` waits for each master's PONG, ms (default 5000). */
  readonly pingTimeoutMs?: number;
  /** How long a call waits while no node is reachable before failing, ms (default 5000). */
  readonly unavailableTimeoutMs?: number;
}

/**
 * Redis Cluster result store, with Celery's keys and values unchanged:
 * - single-key commands (GET, the SET+PUBLISH guard script, DEL, INCR) are routed by ioredis;
 * - MGET is split by hash slot (one MGET per slot, auto-pipelined per node);
 * - chord bookkeeping runs as one script when `.j`, `.t` and `.s` share a slot (hash-tagged
 *   prefix), else as a script on `.j` (ZADD + count, atomic) plus single-key reads;
 * - one pub/sub connection to any node receives every result (classic PUBLISH is relayed
 *   cluster-wide), and moves to another node when its node dies.
 * @internal
 */
export class RedisClusterResultStore implements ResultStore {
  readonly kind = 'redis-cluster' as const;
  readonly description: string;
  readonly autoExpires = true;
  readonly push: RedisPubSubPush;
  readonly chord: StoreChordCounter;
  private readonly cluster: Cluster;
  private readonly scripts: RedisScriptCommands;
  private closing: Promise<void> | null = null;
  private readonly deadline: RedisCallDeadline;

  constructor(private readonly options: RedisClusterResultStoreOptions) {
    this.description = options.description;
    this.cluster = options.cluster;
    this.scripts = defineRedisScripts(options.cluster);
    this.deadline = new RedisCallDeadline(
      this.cluster,
      options.unavailableTimeoutMs ?? DEFAULT_REDIS_UNAVAILABLE_TIMEOUT_MS,
      this.description,
    );
    logRedisOutages(this.cluster, options.logger, this.description);
    this.push = new RedisPubSubPush(
      options.createSubscriber,
      options.logger,
      this.description,
    );
    const chordScripts = new ClusterChordScripts(options.cluster, this.scripts);
    this.chord = new RedisChordCounter({
      client: {
        zrange: (key: string, start: number, stop: number) =>
          this.cluster.zrange(key, start, stop),
        del: (...keys: string[]) => chordScripts.delMany(keys),
      } as ConstructorParameters<typeof RedisChordCounter>[0]['client'],
      scripts: {
        celeryChordPart: (j, t, s, score, member, ttl) =>
          chordScripts.part(j, t, s, score, member, ttl),
      },
      set: (key, value, ttl) => this.set(key, value, ttl, false),
      run: (op) => this.run(op),
    });
  }

  /** GET; missing or empty ⇒ null. */
  async get(key: string): Promise<string | null> {
    const v = await this.run(() => this.cluster.get(key));
    return v === null || v === '' ? null : v;
  }

  /**
   * One MGET per hash slot (chunks of 1000 keys); the MGETs for one node go in one pipeline
   * (one round trip per node). A pipeline that meets a topology change (MOVED, node down) is
   * retried as single MGETs, which follow redirections. Results in key order.
   */
  async mget(keys: readonly string[]): Promise<(string | null)[]> {
    return this.run(async () => {
      const out = new Array<string | null>(keys.length).fill(null);
      const byNode = new Map<string, number[][]>();
      for (const group of groupBySlot(keys)) {
        const node = this.cluster.slots[keySlot(keys[group[0]])]?.[0] ?? '';
        const batches = byNode.get(node) ?? [];
        for (let i = 0; i < group.length; i += MGET_CHUNK)
          batches.push(group.slice(i, i + MGET_CHUNK));
        byNode.set(node, batches);
      }
      const fill = (
        idx: readonly number[],
        values: readonly (string | null)[],
      ): void =>
        values.forEach((v, n) => {
          out[idx[n]] = v === null || v === '' ? null : v;
        });
      const single = (idx: readonly number[]): Promise<void> =>
        this.cluster.mget(idx.map((k) => keys[k])).then((v) => fill(idx, v));
      await Promise.all(
        [...byNode.values()].map(async (batches) => {
          if (batches.length === 1) return single(batches[0]);
          const pipeline = this.cluster.pipeline();
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

  /** The SET+PUBLISH guard script on the key's master (PUBLISH reaches every node). */
  async set(
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
      maxPayloadBytes: this.options.maxPayloadBytes,
    });
  }

  /** DEL. */
  async delete(key: string): Promise<void> {
    await this.run(() => this.cluster.del(key));
  }

  /** INCR, plus EXPIRE when ttl, in one script. */
  async incr(key: string, ttl: number | null): Promise<number> {
    return Number(
      await this.run(() => this.scripts.celeryIncr(key, ttlArgument(ttl))),
    );
  }

  /** See {@link checkClusterHealth}: every slot-owning master up and answering, state ok. */
  async ping(): Promise<void> {
    this.assertOpen();
    await checkClusterHealth(
      this.cluster,
      this.description,
      this.options.pingTimeoutMs ?? 5000,
    );
  }

  /** Close the subscriber and the cluster client (every node connection). Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.deadline.stop();
      await Promise.all([
        this.push.close(),
        closeRedisClient(this.cluster as unknown as ClosableRedisClient),
      ]);
    })();
    return this.closing;
  }

  /** Run a command; outage errors become BackendUnavailableError. */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await this.deadline.run(fn);
    } catch (err) {
      if (err instanceof BackendUnavailableError) throw err;
      const message = (err as Error)?.message ?? String(err);
      if (CLUSTER_OUTAGE.test(message))
        throw new BackendUnavailableError(this.description, message, {
          cause: err,
        });
      throw err;
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
