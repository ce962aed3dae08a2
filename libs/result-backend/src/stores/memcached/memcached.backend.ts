import { settingError } from '../../config/config.errors.js';
import type {
  BackendDefinition,
  BackendSettings,
} from '../backend-definition.interface.js';
import { lazyFactory } from '../../utils/lazy-factory.util.js';
import { describeMemcached, parseCacheUrl } from './cache-url.parser.js';
import {
  MEMCACHED_EXAMPLE,
  memcachedTiming,
  type MemcachedBackendConfig,
} from './memcached.options.js';

/**
 * Celery's legacy form: `result_backend = 'cache'` with `cache_backend = 'memcached://h:p/'`
 * (or `memory://`), read as `cache+memcached://h:p/`.
 */
function legacyCacheUrl(settings: BackendSettings): string {
  const legacy = settings.cacheBackend?.trim();
  if (!legacy) {
    throw settingError(
      'CELERY_CACHE_BACKEND',
      'the result backend is "cache" but no cache backend is set',
      'memcached://127.0.0.1:11211/',
    );
  }
  if (!legacy.includes('://')) {
    throw settingError(
      'CELERY_CACHE_BACKEND',
      'expected memcached://host:port/ or memory://',
      'memcached://127.0.0.1:11211/',
    );
  }
  return `cache+${legacy}`;
}

/** `cache+memcached://h1:p1;h2:p2/` (also `memcache`, `pylibmc`; bare name `cache`). @internal */
export const memcachedBackend: BackendDefinition<MemcachedBackendConfig> = {
  kind: 'memcached',
  schemes: ['cache+memcached', 'cache+memcache', 'cache+pylibmc'],
  bareNames: { cache: legacyCacheUrl },
  example: MEMCACHED_EXAMPLE,
  parseUrl: (url, settings) => ({
    ...parseCacheUrl(url),
    ...memcachedTiming(settings.memcached),
  }),
  describe: describeMemcached,
  create: lazyFactory(
    async () => (await import('./memcached.store.js')).createMemcachedStore,
  ),
};
