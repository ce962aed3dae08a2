import type { BackendDefinition } from '../backend-definition.interface.js';
import { lazyFactory } from '../../utils/lazy-factory.util.js';
import { parseRedisClusterUrl } from './redis-cluster-url.parser.js';
import { describeRedisCluster } from './redis.describer.js';
import { REDIS_EXAMPLES } from './redis-examples.constants.js';
import type { RedisClusterBackendConfig } from './redis.options.js';

/** `redis+cluster://h1:p1,h2:p2` and `rediss+cluster://` (not in Celery itself). @internal */
export const redisClusterBackend: BackendDefinition<RedisClusterBackendConfig> =
  {
    kind: 'redis-cluster',
    schemes: ['redis+cluster', 'rediss+cluster'],
    example: REDIS_EXAMPLES.cluster,
    parseUrl: (url, settings) => parseRedisClusterUrl(url, settings.redis),
    describe: describeRedisCluster,
    create: lazyFactory(
      async () =>
        (await import('./redis-cluster.store.js')).createRedisClusterStore,
    ),
  };
