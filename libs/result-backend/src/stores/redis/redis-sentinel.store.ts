import { outageLogFor } from '../../utils/outage-log.util.js';
import type { SentinelBackendConfig } from './redis.options.js';
import type { ConnectionOptions } from 'node:tls';
import type { RedisOptions } from 'ioredis';
import { describeSentinel } from './redis.describer.js';
import type { ResultStore } from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import {
  buildRedisOptions,
  type RedisConnectionRole,
} from './redis-client.factory.js';
import {
  RedisResultStore,
  type RedisResultStoreOptions,
} from './redis-result.store.js';
import { SentinelSwitchWatcher } from './redis-sentinel-switch.watcher.js';
import {
  asRedisConfig,
  prepareRedisConnections,
  redisStoreTimeouts,
} from './redis-store.factory.js';

/**
 * A `READONLY` reply means the connection still points at a demoted master: reconnect
 * (through the sentinels, which name the new master) and resend the command.
 * @internal
 */
export function reconnectOnReadonly(err: Error): 2 | false {
  return err.message.startsWith('READONLY') ? 2 : false;
}

/**
 * ioredis options for one connection of a Sentinel store: the `redis://` options (timeouts,
 * auth, TLS, connection name, role-specific behaviour), with the master found through the
 * sentinels instead of a fixed host. ioredis asks the sentinels for the master on every
 * (re)connect and checks with `INFO` that the server really is a master, so after a failover
 * both connections land on the new master. TLS, when set, is used for the master and its
 * replicas; the sentinels are reached in plain TCP, as with Celery's `sentinel_kwargs`
 * without `ssl`.
 * @internal
 */
export async function buildSentinelOptions(
  config: SentinelBackendConfig,
  role: RedisConnectionRole,
  tls?: ConnectionOptions,
): Promise<RedisOptions> {
  const options = await buildRedisOptions(
    asRedisConfig(config, config.sentinels[0], config.db),
    role,
    tls,
  );
  delete options.host;
  delete options.port;
  options.sentinels = config.sentinels.map(({ host, port }) => ({
    host,
    port,
  }));
  options.name = config.masterName;
  options.role = 'master';
  if (config.sentinelPassword !== undefined)
    options.sentinelPassword = config.sentinelPassword;
  if (config.sentinelUsername !== undefined)
    options.sentinelUsername = config.sentinelUsername;
  if (config.socketConnectTimeout !== undefined)
    options.sentinelCommandTimeout = Math.round(
      config.socketConnectTimeout * 1000,
    );
  if (options.tls) options.enableTLSForSentinelMode = true;
  if (role === 'command') options.reconnectOnError = reconnectOnReadonly;
  return options;
}

/**
 * The Redis store plus the sentinel switch watcher, closed together.
 * @internal
 */
export class SentinelResultStore extends RedisResultStore {
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly watcher: SentinelSwitchWatcher,
    options: RedisResultStoreOptions,
  ) {
    super(options);
  }

  /** Close both master connections and the sentinel subscriptions. Idempotent. */
  override close(): Promise<void> {
    this.stopping ??= Promise.all([super.close(), this.watcher.close()]).then(
      () => undefined,
    );
    return this.stopping;
  }
}

/**
 * Store for `sentinel://…;sentinel://…` (Celery's `SentinelBackend`): the Redis store over a
 * command connection and a pub/sub connection that both go to the current master, as
 * Celery's Sentinel backend does (results are PUBLISHed on the master; a replica would relay
 * them too, but only while its link to the master is up). On failover both connections are
 * closed by the sentinels (or fail), reconnect to the new master, the subscriber subscribes
 * every watched channel again and the watch engine re-reads every watched key. The config was
 * checked by its URL parser (`parseBackendUrl`).
 * @internal
 */
export async function createSentinelStore(
  config: SentinelBackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  const { RedisClass, description, command, subscriber } =
    await prepareRedisConnections(config, ctx, {
      usedFor: 'sentinel://',
      describe: describeSentinel,
      build: buildSentinelOptions,
    });
  const watcher = new SentinelSwitchWatcher(RedisClass, {
    sentinels: config.sentinels,
    masterName: config.masterName,
    sentinelUsername: config.sentinelUsername,
    sentinelPassword: config.sentinelPassword,
    connectTimeoutMs: command.connectTimeout,
    logger: ctx.logger,
    description,
  });
  const client = new RedisClass(command);
  watcher.track(client);
  return new SentinelResultStore(watcher, {
    kind: 'sentinel',
    description,
    client,
    createSubscriber: () => {
      const connection = new RedisClass(subscriber);
      watcher.track(connection);
      return connection;
    },
    logger: ctx.logger,
    outage: outageLogFor(ctx, description),
    ...redisStoreTimeouts(config),
  });
}
