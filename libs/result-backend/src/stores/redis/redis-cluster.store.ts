import { outageLogFor } from '../../utils/outage-log.util.js';
import type { HostPort } from '../../config/host-port.interface.js';
import type { RedisClusterBackendConfig } from './redis.options.js';
import type { ConnectionOptions } from 'node:tls';
import type { Cluster, ClusterOptions } from 'ioredis';
import { describeRedisCluster } from './redis.describer.js';
import type { ResultStore } from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import {
  buildRedisOptions,
  prepareRedisTls,
  REDIS_CLIENT_NAME,
} from './redis-client.factory.js';
import { RedisClusterResultStore } from './redis-cluster-result.store.js';
import {
  rotatingNodeConnector,
  uniqueNodes,
} from './redis-cluster-subscriber.connector.js';
import {
  asRedisConfig,
  loadIoRedis,
  redisStoreTimeouts,
} from './redis-store.factory.js';

/**
 * ioredis Cluster options for the command client: seed nodes, auth/TLS/connect timeout per
 * node, reads and writes on masters,
 * ioredis' default redirection/retry budget (16 tries, 100 ms apart on CLUSTERDOWN or a
 * failover), after which a command rejects.
 * @internal
 */
export function buildClusterOptions(
  config: RedisClusterBackendConfig,
  tls?: ConnectionOptions,
): ClusterOptions {
  const redisOptions: NonNullable<ClusterOptions['redisOptions']> = {
    connectionName: REDIS_CLIENT_NAME,
  };
  if (config.username !== undefined) redisOptions.username = config.username;
  if (config.password !== undefined) redisOptions.password = config.password;
  if (config.socketConnectTimeout !== undefined)
    redisOptions.connectTimeout = Math.round(
      config.socketConnectTimeout * 1000,
    );
  if (tls) redisOptions.tls = tls;
  const options: ClusterOptions = {
    redisOptions,
    // No auto-pipelining: an auto-pipeline mixes slots, and ioredis does not follow a MOVED
    // inside a pipeline whose commands span slots (seen when a master dies): the MOVED would
    // reach the caller. Single commands follow redirections.
    enableAutoPipelining: false,
    scaleReads: 'master',
    slotsRefreshTimeout: 2000,
    // Re-read the topology every 5 s, so nodes that come back (or move) are picked up even
    // when no command is routed to them.
    slotsRefreshInterval: 5000,
  };
  // TLS certificates name hosts, not the IPs CLUSTER SLOTS reports: keep the names.
  if (tls) options.dnsLookup = (address, callback) => callback(null, address);
  return options;
}

/** The nodes a cluster client currently knows, as host/port. */
function knownNodes(cluster: Cluster): HostPort[] {
  return cluster
    .nodes('all')
    .filter((n) => n.options.host && n.options.port)
    .map((n) => ({
      host: String(n.options.host),
      port: Number(n.options.port),
    }));
}

/**
 * Store for `redis+cluster://h1:p1,h2:p2` (not in Celery): a cluster command client now, a
 * pub/sub connection to any node on the first watch. ioredis is loaded on first use. The
 * config was checked by its URL parser (`parseBackendUrl`).
 * @internal
 */
export async function createRedisClusterStore(
  config: RedisClusterBackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  const mod = await loadIoRedis('redis+cluster://');
  const description = ctx.description ?? describeRedisCluster(config);
  const tls = await prepareRedisTls(config.tls, description, ctx.logger);
  const subscriberOptions = await buildRedisOptions(
    asRedisConfig(config, config.nodes[0], 0),
    'subscriber',
    tls,
  );
  delete subscriberOptions.host;
  delete subscriberOptions.port;
  delete subscriberOptions.tls;
  const cluster = new mod.Cluster(
    config.nodes.map(({ host, port }) => ({ host, port })),
    buildClusterOptions(config, tls),
  );
  subscriberOptions.Connector = rotatingNodeConnector(
    mod.AbstractConnector,
    () => uniqueNodes([...knownNodes(cluster), ...config.nodes]),
    tls,
  );
  const RedisClass = mod.Redis ?? mod.default;
  const { pingTimeoutMs, unavailableTimeoutMs } = redisStoreTimeouts(config);
  return new RedisClusterResultStore({
    description,
    cluster,
    createSubscriber: () => new RedisClass(subscriberOptions),
    logger: ctx.logger,
    outage: outageLogFor(ctx, description),
    pingTimeoutMs,
    unavailableTimeoutMs,
  });
}
