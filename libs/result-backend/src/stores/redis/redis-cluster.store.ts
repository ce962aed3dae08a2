import type { HostPort } from '../../config/host-port.interface.js';
import type {
  RedisBackendConfig,
  RedisClusterBackendConfig,
} from './redis.options.js';
import type { ConnectionOptions } from 'node:tls';
import type { Cluster, ClusterOptions } from 'ioredis';
import { describeRedisCluster } from './redis-describe.util.js';
import { ImproperlyConfiguredError } from '../../errors/improperly-configured.error.js';
import { loadPackage } from '../../utils/load-package.util.js';
import type { ResultStore } from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import {
  buildRedisOptions,
  prepareRedisTls,
  REDIS_CLIENT_NAME,
} from './redis-client.util.js';
import { RedisClusterResultStore } from './redis-cluster-result.store.js';
import {
  rotatingNodeConnector,
  uniqueNodes,
} from './redis-cluster-subscriber.connector.js';

type IoRedisModule = typeof import('ioredis');

const EXAMPLE = 'redis+cluster://127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002';

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

function assertClusterConfig(config: RedisClusterBackendConfig): void {
  if (config.nodes.length === 0)
    throw new ImproperlyConfiguredError(
      'CELERY_RESULT_BACKEND',
      'a redis+cluster:// backend needs at least one node',
      EXAMPLE,
    );
  for (const { port } of config.nodes)
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new ImproperlyConfiguredError(
        'CELERY_RESULT_BACKEND',
        `invalid Redis Cluster node port ${String(port)}`,
        EXAMPLE,
      );
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
 * pub/sub connection to any node on the first watch. ioredis is loaded on first use.
 * @internal
 */
export async function createRedisClusterStore(
  config: RedisClusterBackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  assertClusterConfig(config);
  const mod = await loadPackage<IoRedisModule>(
    'ioredis',
    'redis+cluster:// result backend',
  );
  const description = describeRedisCluster(config);
  const tls = await prepareRedisTls(config.tls, description, ctx.logger);
  const first = config.nodes[0];
  const asRedis: RedisBackendConfig = {
    kind: 'redis',
    host: first.host,
    port: first.port,
    db: 0,
    query: config.query,
    ...(config.username !== undefined ? { username: config.username } : {}),
    ...(config.password !== undefined ? { password: config.password } : {}),
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.socketConnectTimeout !== undefined
      ? { socketConnectTimeout: config.socketConnectTimeout }
      : {}),
  };
  const subscriberOptions = await buildRedisOptions(asRedis, 'subscriber', tls);
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
  return new RedisClusterResultStore({
    description,
    cluster,
    createSubscriber: () => new RedisClass(subscriberOptions),
    logger: ctx.logger,
    maxPayloadBytes: ctx.maxPayloadBytes,
    pingTimeoutMs: config.socketConnectTimeout
      ? config.socketConnectTimeout * 1000
      : undefined,
    // Celery's redis_socket_connect_timeout also bounds a call's wait for a connection.
    unavailableTimeoutMs: config.socketConnectTimeout
      ? config.socketConnectTimeout * 1000
      : undefined,
  });
}
