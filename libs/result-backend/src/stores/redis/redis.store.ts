import { outageLogFor } from '../../utils/outage-log.util.js';
import type { RedisBackendConfig } from './redis.options.js';
import type { ResultStore } from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import { buildRedisOptions } from './redis-client.factory.js';
import { RedisResultStore } from './redis-result.store.js';
import { describeRedis } from './redis.describer.js';
import {
  prepareRedisConnections,
  redisStoreTimeouts,
} from './redis-store.factory.js';

/**
 * Store for `redis://`, `rediss://` and `redis+socket://`: a command connection now, a
 * dedicated pub/sub connection on the first watch. ioredis is loaded on first use. The config
 * was checked by its URL parser (`parseBackendUrl`).
 * @internal
 */
export async function createRedisStore(
  config: RedisBackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  const connections = await prepareRedisConnections(config, ctx, {
    usedFor: 'redis://',
    describe: describeRedis,
    build: buildRedisOptions,
  });
  const { RedisClass, command, subscriber } = connections;
  return new RedisResultStore({
    kind: 'redis',
    description: connections.description,
    client: new RedisClass(command),
    createSubscriber: () => new RedisClass(subscriber),
    logger: ctx.logger,
    outage: outageLogFor(ctx, connections.description),
    ...redisStoreTimeouts(config),
  });
}
