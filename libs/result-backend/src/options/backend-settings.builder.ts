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
  type ValueKind,
} from '../config/option-kinds.parser.js';
import { RESULT_BACKEND_SETTINGS as S } from '../config/setting-names.constants.js';

/** An explicit option with no setting of its own, checked as `kind`. */
function given<T>(
  value: unknown,
  option: string,
  kind: ValueKind<T>,
): T | undefined {
  return value === undefined ? undefined : kind.check(value, option);
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
    masterName:
      given(r.masterName, 'redis.masterName', STRING) ?? transport.masterName,
    sentinelPassword:
      given(r.sentinelPassword, 'redis.sentinelPassword', STRING) ??
      transport.sentinelPassword,
    sentinelUsername:
      given(r.sentinelUsername, 'redis.sentinelUsername', STRING) ??
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
    username:
      given(r.username, 'redis.username', STRING) ?? get(S.redisUsername),
    password:
      given(r.password, 'redis.password', STRING) ?? get(S.redisPassword),
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
    timeoutMs: given(m.timeoutMs, 'memcached.timeoutMs', ms),
    retryDelayMs: given(m.retryDelayMs, 'memcached.retryDelayMs', ms),
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
