import type { HostPort } from '../../config/host-port.interface.js';
import type {
  RedisStoreOptions,
  SentinelBackendConfig,
} from './redis.options.js';
import { REDIS_EXAMPLES } from './redis-examples.constants.js';
import { settingError, urlError } from '../../config/config.errors.js';
import {
  buildTls,
  parseDb,
  SSL_QUERY_KEYS,
  takeTimeouts,
  type RedisUrlContext,
} from './redis-options.parser.js';
import { partsOrError } from '../../config/url-parts-or-error.parser.js';
import {
  REDIS_DEFAULT_HOST,
  REDIS_DEFAULT_PORT,
  take,
} from './redis-url.parser.js';
import type { UrlParts } from '../../config/url-parts.parser.js';

/** The setting named when the master name is missing or ambiguous. @internal */
export const MASTER_NAME_SETTING = 'master_name';

const MASTER_NAME_HELP =
  'set redis.masterName, CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS={"master_name": "mymaster"} ' +
  'or add ?master_name=mymaster to the URL';

/**
 * `sentinel://[[user]:pw@]host:port/db;sentinel://host2:port2/db…` as Celery's
 * `SentinelBackend`: one sentinel per `;`-separated part (default port 6379, as in Celery),
 * db, password and username of the master from the first part. The master name comes from the
 * settings or a `?master_name=` query parameter (our extension) and is required.
 * @internal
 */
export function parseSentinelUrl(
  url: string,
  settings: RedisStoreOptions = {},
): SentinelBackendConfig {
  const example = REDIS_EXAMPLES.sentinel;
  const chunks = url
    .split(';')
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '');
  const secrets = [settings.password, settings.sentinelPassword];
  const parsed: UrlParts[] = [];
  for (const chunk of chunks) {
    if (!/^sentinel:\/\//i.test(chunk)) {
      throw urlError(
        url,
        'every ;-separated part must start with sentinel://',
        example,
        secrets,
      );
    }
    const parts = partsOrError(chunk, { example, secrets });
    secrets.push(parts.password, parts.query.password);
    parsed.push(parts);
  }
  const ctx: RedisUrlContext = { url, example, secrets };
  const sentinels: HostPort[] = parsed.map((parts) => {
    parseDb(parts.path, ctx);
    if (SSL_QUERY_KEYS.some((key) => key in parts.query)) {
      throw urlError(
        url,
        'sentinel:// takes TLS from CELERY_REDIS_BACKEND_USE_SSL / redis.tls, not from ssl_* query keys',
        example,
        secrets,
      );
    }
    return {
      host: parts.hostname ?? REDIS_DEFAULT_HOST,
      port: parts.port ?? REDIS_DEFAULT_PORT,
    };
  });
  const first = parsed[0];
  const query = { ...first.query };
  const masterName = resolveMasterName(parsed, settings, ctx);
  delete query.master_name;
  const password =
    take(query, 'password') ?? first.password ?? settings.password;
  const username =
    take(query, 'username') ?? first.username ?? settings.username;
  const db = parseDb(take(query, 'db') ?? first.path, ctx);
  delete query.virtual_host;
  const timeouts = takeTimeouts(query, settings, ctx);
  const tls = settings.tls ? buildTls(settings.tls, ctx) : undefined;
  return {
    kind: 'sentinel',
    sentinels,
    masterName,
    db,
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(settings.sentinelPassword
      ? { sentinelPassword: settings.sentinelPassword }
      : {}),
    ...(settings.sentinelUsername
      ? { sentinelUsername: settings.sentinelUsername }
      : {}),
    ...(tls ? { tls } : {}),
    ...timeouts,
    query,
  };
}

function resolveMasterName(
  parsed: readonly UrlParts[],
  settings: RedisStoreOptions,
  ctx: RedisUrlContext,
): string {
  const fromUrl = new Set(
    parsed
      .map((parts) => parts.query.master_name)
      .filter((name) => name !== undefined),
  );
  if (fromUrl.size > 1) {
    throw urlError(
      ctx.url,
      'the parts of the URL name different master_name values',
      ctx.example,
      ctx.secrets,
    );
  }
  const [urlName] = fromUrl;
  const name = settings.masterName || urlName;
  if (settings.masterName && urlName && settings.masterName !== urlName) {
    throw settingError(
      MASTER_NAME_SETTING,
      'the URL (?master_name=) and the settings (redis.masterName / transport options) name different masters; give it once',
      ctx.example,
    );
  }
  if (!name) {
    throw settingError(
      MASTER_NAME_SETTING,
      `a sentinel:// backend needs the name of the master: ${MASTER_NAME_HELP}`,
      ctx.example,
    );
  }
  return name;
}
