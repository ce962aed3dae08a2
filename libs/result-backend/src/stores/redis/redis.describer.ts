import {
  hostPort,
  maskedAuth,
  withQuery,
} from '../../config/url-parts.describer.js';
import type {
  RedisBackendConfig,
  RedisClusterBackendConfig,
  RedisTlsConfig,
  SentinelBackendConfig,
} from './redis.options.js';

function tlsQuery(tls: RedisTlsConfig | undefined): string[] {
  return tls ? [`ssl_cert_reqs=${tls.certReqs}`] : [];
}

/**
 * `redis://user:***@host:port/db` (password masked), `rediss://…?ssl_cert_reqs=…`, or
 * `redis+socket://…/path?virtual_host=db`: safe for logs and health details.
 * @internal
 */
export function describeRedis(config: RedisBackendConfig): string {
  const auth = maskedAuth(config.username, config.password);
  if (config.socketPath !== undefined) {
    return `redis+socket://${auth}${config.socketPath}?virtual_host=${config.db}`;
  }
  return withQuery(
    `${config.tls ? 'rediss' : 'redis'}://${auth}${hostPort(config)}/${config.db}`,
    tlsQuery(config.tls),
  );
}

/** `sentinel://:***@h1:p/db;sentinel://h2:p/db?master_name=…`. @internal */
export function describeSentinel(config: SentinelBackendConfig): string {
  const auth = maskedAuth(config.username, config.password);
  return withQuery(
    config.sentinels
      .map(
        (s, i) =>
          `sentinel://${i === 0 ? auth : ''}${hostPort(s)}/${config.db}`,
      )
      .join(';'),
    [
      `master_name=${encodeURIComponent(config.masterName)}`,
      ...tlsQuery(config.tls),
    ],
  );
}

/** `redis+cluster://:***@h1:p1,h2:p2` (`rediss+cluster://` with TLS). @internal */
export function describeRedisCluster(
  config: RedisClusterBackendConfig,
): string {
  const auth = maskedAuth(config.username, config.password);
  return withQuery(
    `${config.tls ? 'rediss' : 'redis'}+cluster://${auth}${config.nodes.map(hostPort).join(',')}`,
    tlsQuery(config.tls),
  );
}
