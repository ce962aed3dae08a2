import type { BackendSettings } from '../stores/backend-definition.interface.js';
import type { ResultBackendModuleOptions } from './result-backend-options.interface.js';
import {
  parseUseSsl,
  type TransportOptions,
} from './celery-json-settings.parser.js';
import {
  BOOLEAN,
  numberKind,
  RULES,
  STRING,
  type Picker,
} from '../config/option-kinds.parser.js';
import { RESULT_BACKEND_SETTINGS as S } from '../config/setting-names.constants.js';

/** An explicit string option with no setting of its own. */
function given(value: unknown, option: string): string | undefined {
  return value === undefined ? undefined : STRING.check(value, option);
}

function compact<T extends object>(obj: T): T {
  return Object.fromEntries(
    Object.entries(obj).filter(([, v]) => v !== undefined),
  ) as T;
}

/**
 * The non-URL settings for {@link parseBackendUrl}: explicit `redis` / `s3` options first,
 * then the looked-up settings (`CELERY_REDIS_*`, `CELERY_S3_*`, transport options,
 * `CELERY_CACHE_BACKEND`).
 * @internal
 */
export function buildBackendSettings(
  explicit: ResultBackendModuleOptions,
  get: (name: string) => string | undefined,
  pick: Picker,
  transport: TransportOptions,
): BackendSettings {
  const r = explicit.redis ?? {};
  const s = explicit.s3 ?? {};
  const seconds = numberKind(RULES.seconds);
  const redis = compact({
    masterName: given(r.masterName, 'redis.masterName') ?? transport.masterName,
    sentinelPassword:
      given(r.sentinelPassword, 'redis.sentinelPassword') ??
      transport.sentinelPassword,
    sentinelUsername:
      given(r.sentinelUsername, 'redis.sentinelUsername') ??
      transport.sentinelUsername,
    socketTimeout: pick(
      r.socketTimeout,
      'redis.socketTimeout',
      S.redisSocketTimeout,
      seconds,
    ),
    socketConnectTimeout: pick(
      r.socketConnectTimeout,
      'redis.socketConnectTimeout',
      S.redisSocketConnectTimeout,
      seconds,
    ),
    tls: r.tls ?? parseUseSsl(get(S.redisBackendUseSsl)),
    username: given(r.username, 'redis.username') ?? get(S.redisUsername),
    password: given(r.password, 'redis.password') ?? get(S.redisPassword),
  });
  const s3 = compact({
    bucket: pick(s.bucket, 's3.bucket', S.s3Bucket, STRING),
    basePath: pick(s.basePath, 's3.basePath', S.s3BasePath, STRING),
    endpointUrl: pick(s.endpointUrl, 's3.endpointUrl', S.s3EndpointUrl, STRING),
    region: pick(s.region, 's3.region', S.s3Region, STRING),
    accessKeyId: pick(s.accessKeyId, 's3.accessKeyId', S.s3AccessKeyId, STRING),
    secretAccessKey: pick(
      s.secretAccessKey,
      's3.secretAccessKey',
      S.s3SecretAccessKey,
      STRING,
    ),
    forcePathStyle: pick(
      s.forcePathStyle,
      's3.forcePathStyle',
      S.s3ForcePathStyle,
      BOOLEAN,
    ),
    maxConcurrency: pick(
      s.maxConcurrency,
      's3.maxConcurrency',
      S.s3MaxConcurrency,
      numberKind(RULES.concurrency),
    ),
    listThreshold: pick(
      s.listThreshold,
      's3.listThreshold',
      S.s3ListThreshold,
      numberKind(RULES.listThreshold),
    ),
  });
  const m = explicit.memcached ?? {};
  const ms = numberKind(RULES.milliseconds);
  const memcached = compact({
    timeoutMs:
      m.timeoutMs === undefined
        ? undefined
        : ms.check(m.timeoutMs, 'memcached.timeoutMs'),
    retryDelayMs:
      m.retryDelayMs === undefined
        ? undefined
        : ms.check(m.retryDelayMs, 'memcached.retryDelayMs'),
  });
  return {
    redis,
    s3,
    memcached,
    filesystem: explicit.filesystem,
    ...(explicit.postgresql ? { postgresql: explicit.postgresql } : {}),
    cacheBackend: get(S.cacheBackend),
  };
}
