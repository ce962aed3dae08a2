import type { BackendDefinition } from '../backend-definition.interface.js';
import { lazyFactory } from '../../utils/lazy-factory.util.js';
import { describeRedis } from './redis.describer.js';
import { REDIS_EXAMPLES } from './redis-examples.constants.js';
import { parseRedisUrl } from './redis-url.parser.js';
import type { RedisBackendConfig } from './redis.options.js';

/** `redis://`, `rediss://`, `redis+socket://` (and the bare name `redis`). @internal */
export const redisBackend: BackendDefinition<RedisBackendConfig> = {
  kind: 'redis',
  schemes: ['redis', 'rediss', 'redis+socket'],
  bareNames: { redis: () => 'redis://' },
  example: REDIS_EXAMPLES.redis,
  parseUrl: (url, settings) => parseRedisUrl(url, settings.redis),
  describe: describeRedis,
  create: lazyFactory(
    async () => (await import('./redis.store.js')).createRedisStore,
  ),
};
