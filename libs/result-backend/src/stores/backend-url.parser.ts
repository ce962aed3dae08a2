import { urlError } from '../config/config.errors.js';
import type { BackendSettings } from './backend-definition.interface.js';
import { BACKENDS, type BackendConfig } from './backends.js';

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

const GENERAL_EXAMPLE = BACKENDS[0].example;

/** Every supported form, for "unknown scheme" errors. */
const SUPPORTED_SCHEMES = BACKENDS.flatMap((b) => b.schemes)
  .map((s) => `${s}://`)
  .join(', ');

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
    throw urlError('', 'the result backend URL is empty', GENERAL_EXAMPLE);
  if (!text.includes('://')) {
    const name = text.toLowerCase();
    for (const backend of BACKENDS) {
      const toUrl = backend.bareNames?.[name];
      if (toUrl) return parseBackendUrl(toUrl(settings), settings);
    }
    throw unknownScheme(text, name);
  }
  const scheme = text.slice(0, text.indexOf('://')).toLowerCase();
  const backend = BACKENDS.find((b) => b.schemes.includes(scheme));
  if (!backend) throw unknownScheme(text, scheme);
  return backend.parseUrl(text, settings);
}

function unknownScheme(url: string, scheme: string) {
  const family = scheme.split('+')[0];
  const problem = UNSUPPORTED_CELERY.has(family)
    ? `the Celery "${family}" result backend is not supported by this library; supported: ${SUPPORTED_SCHEMES}`
    : `unknown result backend; supported: ${SUPPORTED_SCHEMES}`;
  const sibling = BACKENDS.find((b) =>
    b.schemes.some((s) => s.includes('+') && s.split('+')[0] === family),
  );
  return urlError(url, problem, sibling?.example ?? GENERAL_EXAMPLE);
}
