import type { RedisBackendConfig, RedisStoreOptions } from './redis.options.js';
import { REDIS_EXAMPLES } from './redis-examples.constants.js';
import { urlError } from '../../config/config.errors.js';
import {
  authFields,
  parseDb,
  refuseTls,
  takeTimeouts,
  takeTls,
  type RedisUrlContext,
} from './redis-options.parser.js';
import { partsOrError } from '../../config/url-parts-or-error.parser.js';

/** Default Redis host and port, as Celery's `redis_host` / `redis_port` defaults. @internal */
export const REDIS_DEFAULT_HOST = 'localhost';
/** @internal */
export const REDIS_DEFAULT_PORT = 6379;

/**
 * `redis://`, `rediss://` and `redis+socket://`, exactly as Celery 5.2.6's
 * `RedisBackend._params_from_url` reads them: user/password/host/port from the URL (falling
 * back to the settings and localhost:6379), db from the path (`?virtual_host=` for sockets),
 * `?db=` overriding, `ssl_*` keys only with `rediss://`, other query keys kept as text.
 * @internal
 */
export function parseRedisUrl(
  url: string,
  settings: RedisStoreOptions = {},
): RedisBackendConfig {
  const scheme = url.slice(0, url.indexOf('://')).toLowerCase();
  const socket = scheme === 'redis+socket';
  const example = socket
    ? REDIS_EXAMPLES.socket
    : scheme === 'rediss'
      ? REDIS_EXAMPLES.rediss
      : REDIS_EXAMPLES.redis;
  const early = { example, secrets: [settings.password] };
  const parts = partsOrError(url, early);
  const query = { ...parts.query };
  const password =
    take(query, 'password') ?? parts.password ?? settings.password;
  const username =
    take(query, 'username') ?? parts.username ?? settings.username;
  const ctx: RedisUrlContext = {
    url,
    example,
    secrets: [password, settings.password],
  };
  const virtualHost = take(query, 'virtual_host');
  const dbOverride = take(query, 'db');
  let socketPath: string | undefined;
  if (socket) {
    if (parts.hostname !== undefined || parts.port !== undefined) {
      throw urlError(
        url,
        'redis+socket:// takes no host: write the absolute socket path after three slashes',
        example,
        ctx.secrets,
      );
    }
    if (!parts.path)
      throw urlError(url, 'the socket path is missing', example, ctx.secrets);
    socketPath = `/${parts.path}`;
  }
  const tls =
    scheme === 'rediss' ? takeTls(query, settings.tls, ctx) : undefined;
  if (scheme !== 'rediss') {
    refuseTls(
      query,
      settings,
      ctx,
      socket ? 'TLS is not available over a unix socket' : 'use rediss://',
    );
  }
  const db = parseDb(dbOverride ?? (socket ? virtualHost : parts.path), ctx);
  const timeouts = takeTimeouts(query, settings, ctx);
  return {
    kind: 'redis',
    host: parts.hostname ?? REDIS_DEFAULT_HOST,
    port: parts.port ?? REDIS_DEFAULT_PORT,
    ...(socketPath !== undefined ? { socketPath } : {}),
    db,
    ...authFields(username, password, tls),
    ...timeouts,
    query,
  };
}

/** Remove and return one query value. @internal */
export function take(
  query: Record<string, string>,
  key: string,
): string | undefined {
  const value = query[key];
  delete query[key];
  return value;
}
