import type { HostPort } from '../../config/host-port.interface.js';
import type {
  RedisClusterBackendConfig,
  RedisStoreOptions,
} from './redis.options.js';
import { REDIS_EXAMPLES } from './redis-examples.constants.js';
import { urlError } from '../../config/config.errors.js';
import {
  authFields,
  refuseTls,
  takeTimeouts,
  takeTls,
  type RedisUrlContext,
} from './redis-options.parser.js';
import { REDIS_DEFAULT_PORT, take } from './redis-url.parser.js';
import { serverOrError } from '../../config/url-parts-or-error.parser.js';
import {
  parseQuery,
  splitUrl,
  splitUserinfo,
} from '../../config/url-parts.parser.js';

/**
 * Redis Cluster, which Celery itself does not support: `redis+cluster://[user:pass@]h1:p1,h2:p2`
 * (comma-separated seed nodes, one set of credentials, default port 6379, database 0 only),
 * `rediss+cluster://…?ssl_cert_reqs=required` for TLS. Query keys as for `redis://`.
 * @internal
 */
export function parseRedisClusterUrl(
  url: string,
  settings: RedisStoreOptions = {},
): RedisClusterBackendConfig {
  const example = REDIS_EXAMPLES.cluster;
  const secure = url.toLowerCase().startsWith('rediss+cluster://');
  const early = [settings.password];
  const split = splitUrl(url);
  if (!split) throw urlError(url, 'this is not a URL', example, early);
  if (/;\s*[a-z+]+:\/\//i.test(url)) {
    throw urlError(
      url,
      'list the cluster nodes comma-separated in one URL, not as ;-joined URLs',
      example,
      early,
    );
  }
  const {
    username: urlUser,
    password: urlPassword,
    hostinfo,
  } = splitUserinfo(split.netloc);
  const query = parseQuery(split.query);
  const password = take(query, 'password') ?? urlPassword ?? settings.password;
  const username = take(query, 'username') ?? urlUser ?? settings.username;
  const ctx: RedisUrlContext = {
    url,
    example,
    secrets: [password, urlPassword, settings.password],
  };
  const nodes = hostinfo.split(',').map((node) => parseNode(node.trim(), ctx));
  if (!/^\/?0?\/?$/.test(split.path)) {
    throw urlError(
      url,
      'Redis Cluster has only database 0; leave the path empty',
      example,
      ctx.secrets,
    );
  }
  const tls = secure ? takeTls(query, settings.tls, ctx) : undefined;
  if (!secure) refuseTls(query, settings, ctx, 'use rediss+cluster://');
  const timeouts = takeTimeouts(query, settings, ctx);
  return {
    kind: 'redis-cluster',
    nodes,
    ...authFields(username, password, tls),
    ...timeouts,
    query,
  };
}

function parseNode(text: string, ctx: RedisUrlContext): HostPort {
  return serverOrError(text, REDIS_DEFAULT_PORT, {
    ...ctx,
    badPort: 'a node port must be a number from 1 to 65535',
    noHost: 'every cluster node needs a host (host:port, comma-separated)',
  });
}
