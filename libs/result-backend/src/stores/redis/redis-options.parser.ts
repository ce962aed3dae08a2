import type {
  RedisStoreOptions,
  RedisTlsConfig,
  RedisTlsSettings,
} from './redis.options.js';
import { REDIS_EXAMPLES } from './redis-examples.constants.js';
import { urlError } from '../../config/config.errors.js';
import { unquote } from '../../config/url-parts.parser.js';

/** Celery's `ssl_param_keys`: refused with `redis://`, read from `rediss://`. @internal */
export const SSL_QUERY_KEYS = [
  'ssl_cert_reqs',
  'ssl_ca_certs',
  'ssl_certfile',
  'ssl_keyfile',
] as const;

/** Celery's default `redis_socket_timeout`, seconds. @internal */
export const DEFAULT_SOCKET_TIMEOUT = 120;

/** Query parameters redis-py converts with `int()` (a bad value fails at startup). */
const INT_QUERY_KEYS = ['max_connections', 'health_check_interval'];

const CERT_REQS: Readonly<Record<string, RedisTlsConfig['certReqs']>> = {
  required: 'required',
  optional: 'optional',
  none: 'none',
  CERT_REQUIRED: 'required',
  CERT_OPTIONAL: 'optional',
  CERT_NONE: 'none',
};

/** Context every Redis-family parser passes around. @internal */
export interface RedisUrlContext {
  readonly url: string;
  readonly example: string;
  readonly secrets: readonly (string | undefined)[];
}

/** `required|optional|none|CERT_*` to the config value, or `undefined` when invalid. @internal */
export function normalizeCertReqs(
  value: string | undefined,
): RedisTlsConfig['certReqs'] | undefined {
  return value === undefined ? undefined : CERT_REQS[value];
}

/** A database number: `/` stripped, decimal digits only (Celery's `int(db.strip('/'))`). @internal */
export function parseDb(
  text: string | undefined,
  ctx: RedisUrlContext,
): number {
  const stripped = (text ?? '').replace(/^\/+|\/+$/g, '');
  if (stripped === '') return 0;
  if (!/^\d+$/.test(stripped)) {
    throw urlError(
      ctx.url,
      'the database number must be a non-negative integer',
      ctx.example,
      ctx.secrets,
    );
  }
  return Number(stripped);
}

function parseSeconds(
  value: string,
  name: string,
  ctx: RedisUrlContext,
): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw urlError(
      ctx.url,
      `${name} must be a positive number of seconds`,
      ctx.example,
      ctx.secrets,
    );
  }
  return n;
}

/**
 * Take `socket_timeout` / `socket_connect_timeout` out of the query (they win over the
 * settings, as in Celery) and check the other typed parameters redis-py would convert.
 * @internal
 */
export function takeTimeouts(
  query: Record<string, string>,
  settings: RedisStoreOptions,
  ctx: RedisUrlContext,
): { socketTimeout: number; socketConnectTimeout?: number } {
  const timeout = query.socket_timeout;
  const connect = query.socket_connect_timeout;
  delete query.socket_timeout;
  delete query.socket_connect_timeout;
  for (const key of INT_QUERY_KEYS) {
    if (key in query && !/^\s*[-+]?\d+\s*$/.test(query[key])) {
      throw urlError(
        ctx.url,
        `${key} must be an integer`,
        ctx.example,
        ctx.secrets,
      );
    }
  }
  const socketConnectTimeout =
    connect !== undefined
      ? parseSeconds(connect, 'socket_connect_timeout', ctx)
      : settings.socketConnectTimeout;
  return {
    socketTimeout:
      timeout !== undefined
        ? parseSeconds(timeout, 'socket_timeout', ctx)
        : (settings.socketTimeout ?? DEFAULT_SOCKET_TIMEOUT),
    ...(socketConnectTimeout !== undefined ? { socketConnectTimeout } : {}),
  };
}

/** Refuse `ssl_*` query keys and TLS settings on a plain scheme, as Celery 5.2.6 does. @internal */
export function refuseTls(
  query: Record<string, string>,
  settings: RedisStoreOptions,
  ctx: RedisUrlContext,
  hint: string,
): void {
  if (SSL_QUERY_KEYS.some((key) => key in query) || settings.tls) {
    throw urlError(
      ctx.url,
      `SSL parameters were given (ssl_* in the URL, or CELERY_REDIS_BACKEND_USE_SSL / redis.tls) but the scheme is not TLS: ${hint}`,
      ctx.example,
      ctx.secrets,
    );
  }
}

/**
 * TLS for `rediss://` and `rediss+cluster://`: the settings, overridden by `ssl_*` query keys
 * (percent-decoded once more, as Celery does), removed from the query. `ssl_cert_reqs` is
 * required.
 * @internal
 */
export function takeTls(
  query: Record<string, string>,
  settings: RedisTlsSettings | undefined,
  ctx: RedisUrlContext,
): RedisTlsConfig {
  const fromUrl = (
    key: (typeof SSL_QUERY_KEYS)[number],
  ): string | undefined => {
    const value = query[key];
    delete query[key];
    return value === undefined ? undefined : unquote(value);
  };
  const certReqsText = fromUrl('ssl_cert_reqs') ?? settings?.certReqs;
  const caCerts = fromUrl('ssl_ca_certs') ?? settings?.caCerts;
  const certFile = fromUrl('ssl_certfile') ?? settings?.certFile;
  const keyFile = fromUrl('ssl_keyfile') ?? settings?.keyFile;
  return buildTls({ certReqs: certReqsText, caCerts, certFile, keyFile }, ctx);
}

/** Validate TLS settings (`ssl_cert_reqs` required and valid). @internal */
export function buildTls(
  tls: RedisTlsSettings,
  ctx: RedisUrlContext,
): RedisTlsConfig {
  const certReqs = normalizeCertReqs(tls.certReqs);
  if (!certReqs) {
    throw urlError(
      ctx.url,
      'a TLS Redis connection needs ssl_cert_reqs set to required, optional or none ' +
        '(or CERT_REQUIRED, CERT_OPTIONAL, CERT_NONE), in the URL query or in ' +
        'CELERY_REDIS_BACKEND_USE_SSL / redis.tls',
      REDIS_EXAMPLES.rediss,
      ctx.secrets,
    );
  }
  return {
    certReqs,
    ...(tls.caCerts ? { caCerts: tls.caCerts } : {}),
    ...(tls.certFile ? { certFile: tls.certFile } : {}),
    ...(tls.keyFile ? { keyFile: tls.keyFile } : {}),
  };
}

/**
 * The optional `username`, `password` and `tls` fields of a Redis backend config, each present
 * only when set.
 * @internal
 */
export function authFields(
  username: string | undefined,
  password: string | undefined,
  tls: RedisTlsConfig | undefined,
): { username?: string; password?: string; tls?: RedisTlsConfig } {
  return {
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(tls ? { tls } : {}),
  };
}
