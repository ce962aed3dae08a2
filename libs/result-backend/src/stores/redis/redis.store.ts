import type { RedisBackendConfig } from './redis.options.js';
import { loadPackage } from '../../utils/load-package.util.js';
import type { ResultStore } from '../result-store.interface.js';
import type { StoreContext } from '../store-context.interface.js';
import {
  assertRedisConfig,
  buildRedisOptions,
  prepareRedisTls,
} from './redis-client.util.js';
import { RedisResultStore } from './redis-result.store.js';
import { describeRedis } from './redis-describe.util.js';

type IoRedisModule = typeof import('ioredis');

/**
 * Store for `redis://`, `rediss://` and `redis+socket://`: a command connection now, a
 * dedicated pub/sub connection on the first watch. ioredis is loaded on first use.
 * @internal
 */
export async function createRedisStore(
  config: RedisBackendConfig,
  ctx: StoreContext,
): Promise<ResultStore> {
  assertRedisConfig(config);
  const mod = await loadPackage<IoRedisModule>(
    'ioredis',
    'redis:// result backend',
  );
  const RedisClass = mod.Redis ?? mod.default;
  const description = describeRedis(config);
  const tls = await prepareRedisTls(config.tls, description, ctx.logger);
  const [commandOptions, subscriberOptions] = await Promise.all([
    buildRedisOptions(config, 'command', tls),
    buildRedisOptions(config, 'subscriber', tls),
  ]);
  return new RedisResultStore({
    kind: 'redis',
    description,
    client: new RedisClass(commandOptions),
    createSubscriber: () => new RedisClass(subscriberOptions),
    logger: ctx.logger,
    maxPayloadBytes: ctx.maxPayloadBytes,
    socketTimeoutMs: Math.round((config.socketTimeout ?? 120) * 1000),
    pingTimeoutMs: config.socketConnectTimeout
      ? config.socketConnectTimeout * 1000
      : undefined,
    // Celery's redis_socket_connect_timeout also bounds a call's wait for a connection.
    unavailableTimeoutMs: config.socketConnectTimeout
      ? config.socketConnectTimeout * 1000
      : undefined,
  });
}
