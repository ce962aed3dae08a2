import { ImproperlyConfiguredError } from '../errors/improperly-configured.error.js';
import type { ResultBackendModuleOptions } from '../interfaces/result-backend-options.interface.js';
import type { BackendSettings } from './backend-settings.interface.js';
import {
  parseTransportOptions,
  parseUseSsl,
  type TransportOptions,
} from './celery-json-settings.util.js';
import { settingError } from './config-error.util.js';
import { describeBackend } from './describe-backend.util.js';
import { parseBackendUrl } from './parse-backend-url.util.js';
import type {
  ResolvedCommonOptions,
  ResolvedResultBackendOptions,
} from './resolved-options.interface.js';
import {
  RESULT_BACKEND_DEFAULTS as D,
  RESULT_BACKEND_SETTINGS as S,
} from './setting-names.constants.js';
import {
  asText,
  checkBoolean,
  checkNumber,
  parseBoolean,
  parseNumber,
  type NumberRule,
} from './setting-values.util.js';
import { URL_EXAMPLES } from './url-examples.constants.js';

/** Looks a setting up by name (the module tries `ConfigService`, then `process.env`). @publicApi */
export type SettingReader = (name: string) => string | undefined;

const RULES = {
  expires: { min: 0, example: '86400' },
  resultCacheMax: { integer: true, min: -1, example: '1000' },
  pollIntervalMs: { integer: true, min: 1, example: '500' },
  maxPayloadBytes: { integer: true, min: 1, example: '536870912' },
  seconds: { min: 0, exclusive: true, example: '120' },
  concurrency: { integer: true, min: 1, example: '16' },
} satisfies Record<string, NumberRule>;

/** One value: the explicit option (checked) wins, else the setting (parsed), else undefined. */
function pick<T>(
  explicit: T | undefined,
  optionName: string,
  check: (value: unknown, setting: string) => T,
  text: string | undefined,
  settingName: string,
  parse: (text: string, setting: string) => T,
): T | undefined {
  if (explicit !== undefined) return check(explicit, optionName);
  return text === undefined ? undefined : parse(text, settingName);
}

function num(rule: NumberRule) {
  return {
    check: (v: unknown, s: string) => checkNumber(v, s, rule),
    parse: (t: string, s: string) => parseNumber(t, s, rule),
  };
}

function checkString(value: unknown, setting: string): string {
  if (typeof value !== 'string')
    throw settingError(setting, 'must be a string', 'celery');
  return value;
}

/** `none`, `null`, `0` and blank mean "never expire" (Celery's `None` / `0`). */
function resolveExpires(
  explicit: number | null | undefined,
  raw: unknown,
): number | null {
  if (explicit === null) return null;
  if (explicit !== undefined)
    return checkNumber(explicit, 'expires', RULES.expires) || null;
  if (raw === undefined || raw === null) return D.expires;
  const text = typeof raw === 'string' ? raw.trim() : asText(raw);
  if (!text || /^(none|null)$/i.test(text)) return null;
  return parseNumber(text, S.expires, RULES.expires) || null;
}

function resolveStyle(
  explicit: unknown,
  text: string | undefined,
): '5.5' | '5.3' {
  const [value, setting] =
    explicit !== undefined
      ? [explicit, 'keyPrefixStyle']
      : [text, S.keyPrefixStyle];
  if (value === undefined) return D.keyPrefixStyle;
  if (value === '5.5' || value === '5.3') return value;
  throw settingError(
    setting,
    'must be "5.5" (Celery 5.5+ separator rule) or "5.3" (always "_")',
    '5.5',
  );
}

function resolveCommon(
  explicit: ResultBackendModuleOptions,
  get: (name: string) => string | undefined,
  raw: SettingReader,
  transport: TransportOptions,
): Omit<ResolvedCommonOptions, 'description'> {
  const str = { check: checkString, parse: (t: string) => t };
  const bool = { check: checkBoolean, parse: parseBoolean };
  const n = (rule: NumberRule) => num(rule);
  return {
    expires: resolveExpires(explicit.expires, raw(S.expires)),
    keyPrefix:
      pick(
        explicit.keyPrefix,
        'keyPrefix',
        str.check,
        get(S.keyPrefix),
        S.keyPrefix,
        str.parse,
      ) ??
      transport.globalKeyprefix ??
      D.keyPrefix,
    keyPrefixStyle: resolveStyle(
      explicit.keyPrefixStyle,
      get(S.keyPrefixStyle),
    ),
    resultCacheMax:
      pick(
        explicit.resultCacheMax,
        'resultCacheMax',
        n(RULES.resultCacheMax).check,
        get(S.resultCacheMax),
        S.resultCacheMax,
        n(RULES.resultCacheMax).parse,
      ) ?? D.resultCacheMax,
    pollIntervalMs:
      pick(
        explicit.pollIntervalMs,
        'pollIntervalMs',
        n(RULES.pollIntervalMs).check,
        get(S.pollIntervalMs),
        S.pollIntervalMs,
        n(RULES.pollIntervalMs).parse,
      ) ?? D.pollIntervalMs,
    maxPayloadBytes:
      pick(
        explicit.maxPayloadBytes,
        'maxPayloadBytes',
        n(RULES.maxPayloadBytes).check,
        get(S.maxPayloadBytes),
        S.maxPayloadBytes,
        n(RULES.maxPayloadBytes).parse,
      ) ?? D.maxPayloadBytes,
    decodeKombuEnvelopes:
      pick(
        explicit.decodeKombuEnvelopes,
        'decodeKombuEnvelopes',
        bool.check,
        get(S.decodeKombuEnvelopes),
        S.decodeKombuEnvelopes,
        bool.parse,
      ) ?? D.decodeKombuEnvelopes,
  };
}

function buildSettings(
  explicit: ResultBackendModuleOptions,
  get: (name: string) => string | undefined,
  transport: TransportOptions,
): BackendSettings {
  const r = explicit.redis ?? {};
  const s = explicit.s3 ?? {};
  const str = { check: checkString, parse: (t: string) => t };
  const bool = { check: checkBoolean, parse: parseBoolean };
  const sec = num(RULES.seconds);
  const conc = num(RULES.concurrency);
  const text = (value: unknown, option: string, setting: string) =>
    pick(
      value as string | undefined,
      option,
      str.check,
      get(setting),
      setting,
      str.parse,
    );
  const redis = {
    masterName:
      r.masterName !== undefined
        ? checkString(r.masterName, 'redis.masterName')
        : transport.masterName,
    sentinelPassword:
      r.sentinelPassword !== undefined
        ? checkString(r.sentinelPassword, 'redis.sentinelPassword')
        : transport.sentinelPassword,
    sentinelUsername:
      r.sentinelUsername !== undefined
        ? checkString(r.sentinelUsername, 'redis.sentinelUsername')
        : transport.sentinelUsername,
    socketTimeout: pick(
      r.socketTimeout,
      'redis.socketTimeout',
      sec.check,
      get(S.redisSocketTimeout),
      S.redisSocketTimeout,
      sec.parse,
    ),
    socketConnectTimeout: pick(
      r.socketConnectTimeout,
      'redis.socketConnectTimeout',
      sec.check,
      get(S.redisSocketConnectTimeout),
      S.redisSocketConnectTimeout,
      sec.parse,
    ),
    tls: r.tls ?? parseUseSsl(get(S.redisBackendUseSsl)),
    username: get(S.redisUsername),
    password: get(S.redisPassword),
  };
  const s3 = {
    bucket: text(s.bucket, 's3.bucket', S.s3Bucket),
    basePath: text(s.basePath, 's3.basePath', S.s3BasePath),
    endpointUrl: text(s.endpointUrl, 's3.endpointUrl', S.s3EndpointUrl),
    region: text(s.region, 's3.region', S.s3Region),
    accessKeyId: text(s.accessKeyId, 's3.accessKeyId', S.s3AccessKeyId),
    secretAccessKey: text(
      s.secretAccessKey,
      's3.secretAccessKey',
      S.s3SecretAccessKey,
    ),
    forcePathStyle: pick(
      s.forcePathStyle,
      's3.forcePathStyle',
      bool.check,
      get(S.s3ForcePathStyle),
      S.s3ForcePathStyle,
      bool.parse,
    ),
    maxConcurrency: pick(
      s.maxConcurrency,
      's3.maxConcurrency',
      conc.check,
      get(S.s3MaxConcurrency),
      S.s3MaxConcurrency,
      conc.parse,
    ),
  };
  return {
    redis: compact(redis),
    s3: compact(s3),
    cacheBackend: get(S.cacheBackend),
  };
}

function compact<T extends object>(obj: T): T {
  return Object.fromEntries(
    Object.entries(obj).filter(([, v]) => v !== undefined),
  ) as T;
}

/**
 * Resolve the module options: every value comes from `explicit` when given there, else from
 * `read` (Celery-like names such as `CELERY_RESULT_BACKEND`, `CELERY_RESULT_EXPIRES`; see
 * {@link RESULT_BACKEND_SETTINGS} and docs/configuration.md), else from the defaults. Every
 * value is checked; the URL is parsed with {@link parseBackendUrl}. `explicit.store` wins over
 * any URL.
 * @throws ImproperlyConfiguredError naming the setting, with an example, never a password
 * @example resolveModuleOptions({}, (name) => config.get<string>(name) ?? process.env[name])
 * @publicApi
 */
export function resolveModuleOptions(
  explicit: ResultBackendModuleOptions = {},
  read: SettingReader = () => undefined,
): ResolvedResultBackendOptions {
  const get = (name: string): string | undefined => asText(read(name));
  const transport = parseTransportOptions(get(S.transportOptions));
  const common = resolveCommon(explicit, get, read, transport);
  if (explicit.store)
    return {
      ...common,
      store: explicit.store,
      description: explicit.store.description,
    };
  const url = asText(explicit.url) ?? get(S.url);
  if (!url) {
    throw new ImproperlyConfiguredError(
      S.url,
      'no result backend is configured: pass `url` to ResultBackendModule.forRoot(), or set CELERY_RESULT_BACKEND ' +
        '(through @nestjs/config or the environment)',
      URL_EXAMPLES.redis,
    );
  }
  const backend = parseBackendUrl(url, buildSettings(explicit, get, transport));
  return { ...common, backend, description: describeBackend(backend) };
}
