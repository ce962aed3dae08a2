import type { BackendConfig } from './backend-config.interface.js';
import type { BackendSettings } from './backend-settings.interface.js';
import { parseCacheUrl } from './cache-url.util.js';
import { settingError, urlError } from './config-error.util.js';
import { parseCouchDbUrl } from './couchdb-url.util.js';
import { parseFileUrl } from './file-url.util.js';
import {
  isPostgresqlScheme,
  parsePostgresqlUrl,
} from './postgresql-url.util.js';
import { parseRedisClusterUrl } from './redis-cluster-url.util.js';
import { parseRedisUrl } from './redis-url.util.js';
import { parseS3Url } from './s3-url.util.js';
import { parseSentinelUrl } from './sentinel-url.util.js';
import { SUPPORTED_SCHEMES, URL_EXAMPLES } from './url-examples.constants.js';

/** Celery backends this library does not implement (named so the error can say so). */
const UNSUPPORTED_CELERY = new Set([
  'amqp',
  'rpc',
  'mongodb',
  'db',
  'database',
  'elasticsearch',
  'cassandra',
  'couchbase',
  'cosmosdbsql',
  'riak',
  'consul',
  'dynamodb',
  'azureblockblob',
  'arangodb',
  'gcs',
]);

/**
 * Parse a Celery `result_backend` value into a {@link BackendConfig}, combining it with the
 * non-URL settings (Redis transport options and TLS, `s3_*`, `cache_backend`). Accepts every
 * form Celery 5.2.6 accepts for the supported stores, plus `redis+cluster://`, `couchdbs://` and
 * `s3://bucket/path`; also the bare names `redis`, `s3`, `cache`, `couchdb` and `disabled`.
 * See docs/configuration.md for every form.
 * @throws ImproperlyConfiguredError naming the setting, with a valid example; never holding a
 *   password.
 * @example parseBackendUrl('redis://:secret@localhost:6379/1') // { kind: 'redis', db: 1, … }
 * @publicApi
 */
export function parseBackendUrl(
  url: string,
  settings: BackendSettings = {},
): BackendConfig {
  const text = typeof url === 'string' ? url.trim() : '';
  if (text === '')
    throw urlError('', 'the result backend URL is empty', URL_EXAMPLES.redis);
  if (!text.includes('://')) return parseBareName(text, settings);
  const scheme = text.slice(0, text.indexOf('://')).toLowerCase();
  switch (scheme) {
    case 'redis':
    case 'rediss':
    case 'redis+socket':
      return parseRedisUrl(text, settings.redis);
    case 'sentinel':
      return parseSentinelUrl(text, settings.redis);
    case 'redis+cluster':
    case 'rediss+cluster':
      return parseRedisClusterUrl(text, settings.redis);
    case 'file':
      return parseFileUrl(text);
    case 's3':
      return parseS3Url(text, settings.s3);
    case 'couchdb':
    case 'couchdbs':
      return parseCouchDbUrl(text);
    case 'disabled':
      return { kind: 'disabled' };
    default:
      if (scheme.startsWith('cache+')) return parseCacheUrl(text);
      if (isPostgresqlScheme(scheme))
        return parsePostgresqlUrl(text, settings.postgresql);
      throw unknownScheme(text, scheme.split('+')[0]);
  }
}

function parseBareName(name: string, settings: BackendSettings): BackendConfig {
  switch (name.toLowerCase()) {
    case 'disabled':
      return { kind: 'disabled' };
    case 'redis':
      return parseRedisUrl('redis://', settings.redis);
    case 'couchdb':
      return parseCouchDbUrl('couchdb://');
    case 's3':
      return parseS3Url('s3', settings.s3);
    case 'cache': {
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
      return parseCacheUrl(legacy);
    }
    default:
      throw unknownScheme(name, name);
  }
}

function unknownScheme(url: string, backend: string) {
  const lower = backend.toLowerCase();
  const problem = UNSUPPORTED_CELERY.has(lower)
    ? `the Celery "${lower}" result backend is not supported by this library; supported: ${SUPPORTED_SCHEMES}`
    : `unknown result backend; supported: ${SUPPORTED_SCHEMES}`;
  return urlError(url, problem, URL_EXAMPLES.redis);
}
