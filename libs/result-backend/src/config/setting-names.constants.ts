/**
 * The names `resolveModuleOptions` looks up through `@nestjs/config` / `process.env`, Celery's
 * setting names upper-cased with the `CELERY_` prefix (as Celery's own
 * `config_from_envvar`/Django `CELERY_` namespace spells them).
 * @publicApi
 */
export const RESULT_BACKEND_SETTINGS = {
  url: 'CELERY_RESULT_BACKEND',
  expires: 'CELERY_RESULT_EXPIRES',
  resultCacheMax: 'CELERY_RESULT_CACHE_MAX',
  transportOptions: 'CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS',
  keyPrefix: 'CELERY_RESULT_KEYPREFIX',
  keyPrefixStyle: 'CELERY_RESULT_KEYPREFIX_STYLE',
  pollIntervalMs: 'CELERY_RESULT_POLL_INTERVAL_MS',
  maxPayloadBytes: 'CELERY_RESULT_MAX_PAYLOAD_BYTES',
  decodeKombuEnvelopes: 'CELERY_RESULT_DECODE_KOMBU_ENVELOPES',
  celeryVersion: 'CELERY_VERSION',
  timezone: 'CELERY_TIMEZONE',
  redisSocketTimeout: 'CELERY_REDIS_SOCKET_TIMEOUT',
  redisSocketConnectTimeout: 'CELERY_REDIS_SOCKET_CONNECT_TIMEOUT',
  redisBackendUseSsl: 'CELERY_REDIS_BACKEND_USE_SSL',
  redisUsername: 'CELERY_REDIS_USERNAME',
  redisPassword: 'CELERY_REDIS_PASSWORD',
  s3Bucket: 'CELERY_S3_BUCKET',
  s3BasePath: 'CELERY_S3_BASE_PATH',
  s3EndpointUrl: 'CELERY_S3_ENDPOINT_URL',
  s3Region: 'CELERY_S3_REGION',
  s3AccessKeyId: 'CELERY_S3_ACCESS_KEY_ID',
  s3SecretAccessKey: 'CELERY_S3_SECRET_ACCESS_KEY',
  s3ForcePathStyle: 'CELERY_S3_FORCE_PATH_STYLE',
  s3MaxConcurrency: 'CELERY_S3_MAX_CONCURRENCY',
  s3ListThreshold: 'CELERY_S3_LIST_THRESHOLD',
  cacheBackend: 'CELERY_CACHE_BACKEND',
} as const;

/** Defaults applied when neither an option nor a setting is given. @publicApi */
export const RESULT_BACKEND_DEFAULTS = {
  /** Celery's `result_expires`: one day. */
  expires: 86400,
  /** Celery's `result_cache_max`: -1 = no client-side cache. */
  resultCacheMax: -1,
  pollIntervalMs: 500,
  /** Celery's largest Redis value, 512 MiB. */
  maxPayloadBytes: 536870912,
  decodeKombuEnvelopes: true,
  /** The newest Celery's forms (kombu envelopes, `date_done` in `timezone`). */
  celeryVersion: '5.6',
  /** Celery's `timezone` when unset with `enable_utc` (its default). */
  timezone: 'UTC',
  keyPrefix: '',
  keyPrefixStyle: '5.5',
} as const;
