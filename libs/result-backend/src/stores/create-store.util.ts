import type { ResolvedResultBackendOptions } from '../config/index.js';
import { DisabledResultStore } from './disabled.store.js';
import type { ResultStore } from './result-store.interface.js';
import type { StoreContext } from './store-context.interface.js';

/**
 * Build the store for resolved options. Each store module is imported only when chosen, and
 * it loads its driver lazily, so unused drivers are never loaded.
 * @internal
 */
export async function createStore(
  options: ResolvedResultBackendOptions,
  ctx: StoreContext,
): Promise<ResultStore> {
  if (options.store) return options.store;
  const config = options.backend;
  switch (config.kind) {
    case 'redis':
      return (await import('./redis/redis.store.js')).createRedisStore(
        config,
        ctx,
      );
    case 'sentinel':
      return (
        await import('./redis/redis-sentinel.store.js')
      ).createSentinelStore(config, ctx);
    case 'redis-cluster':
      return (
        await import('./redis/redis-cluster.store.js')
      ).createRedisClusterStore(config, ctx);
    case 'filesystem':
      return (
        await import('./filesystem/filesystem.store.js')
      ).createFilesystemStore(config, ctx, options.filesystem);
    case 's3':
      return (await import('./s3/s3.store.js')).createS3Store(config, ctx);
    case 'couchdb':
      return (await import('./couchdb/couchdb.store.js')).createCouchDbStore(
        config,
        ctx,
      );
    case 'memcached':
      return (
        await import('./memcached/memcached.store.js')
      ).createMemcachedStore(config, ctx);
    case 'postgresql':
      return (
        await import('./postgresql/postgresql.store.js')
      ).createPostgresqlStore(config, ctx);
    case 'memory':
      return (await import('./memory/memory.store.js')).createMemoryStore(
        config,
        ctx,
      );
    case 'disabled':
      return new DisabledResultStore();
  }
}
