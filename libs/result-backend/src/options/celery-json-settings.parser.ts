import type { RedisTlsSettings } from '../stores/redis/redis.options.js';
import { settingError } from '../config/config.errors.js';
import { RESULT_BACKEND_SETTINGS as S } from '../config/setting-names.constants.js';
import {
  parseJsonObject,
  stringMember,
} from '../config/setting-values.parser.js';

/** What this library takes from `result_backend_transport_options`. @internal */
export interface TransportOptions {
  readonly masterName?: string;
  readonly globalKeyprefix?: string;
  readonly sentinelPassword?: string;
  readonly sentinelUsername?: string;
}

const TRANSPORT_EXAMPLE =
  '{"master_name": "mymaster", "sentinel_kwargs": {"password": "..."}}';
const USE_SSL_EXAMPLE =
  '{"ssl_cert_reqs": "required", "ssl_ca_certs": "/etc/ssl/ca.pem"}';

/** Python's `ssl.CERT_NONE/OPTIONAL/REQUIRED` values, should the JSON hold numbers. */
const CERT_REQS_NUMBERS: Readonly<Record<number, string>> = {
  0: 'none',
  1: 'optional',
  2: 'required',
};

/**
 * `CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS` (JSON): `master_name`, `global_keyprefix`,
 * `sentinel_kwargs.password` / `.username`. Other keys (`retry_policy`,
 * `result_chord_ordered`, `min_other_sentinels` …) are accepted and ignored.
 * @internal
 */
export function parseTransportOptions(
  text: string | undefined,
): TransportOptions {
  if (text === undefined) return {};
  const setting = S.transportOptions;
  const obj = parseJsonObject(text, setting, TRANSPORT_EXAMPLE);
  const kwargsValue = obj.sentinel_kwargs ?? {};
  if (
    typeof kwargsValue !== 'object' ||
    kwargsValue === null ||
    Array.isArray(kwargsValue)
  ) {
    throw settingError(
      setting,
      '"sentinel_kwargs" must be an object',
      TRANSPORT_EXAMPLE,
    );
  }
  const kwargs = kwargsValue as Record<string, unknown>;
  const out = {
    masterName: stringMember(obj, 'master_name', setting, TRANSPORT_EXAMPLE),
    globalKeyprefix: stringMember(
      obj,
      'global_keyprefix',
      setting,
      TRANSPORT_EXAMPLE,
    ),
    sentinelPassword: stringMember(
      kwargs,
      'password',
      setting,
      TRANSPORT_EXAMPLE,
    ),
    sentinelUsername: stringMember(
      kwargs,
      'username',
      setting,
      TRANSPORT_EXAMPLE,
    ),
  };
  return Object.fromEntries(
    Object.entries(out).filter(([, v]) => v !== undefined),
  );
}

/**
 * `CELERY_REDIS_BACKEND_USE_SSL` (JSON, Celery's `redis_backend_use_ssl`): `ssl_cert_reqs`
 * (text, or Python's 0/1/2), `ssl_ca_certs`, `ssl_certfile`, `ssl_keyfile`; other keys ignored.
 * The cert_reqs value is checked by the URL parser.
 * @internal
 */
export function parseUseSsl(
  text: string | undefined,
): RedisTlsSettings | undefined {
  if (text === undefined) return undefined;
  const setting = S.redisBackendUseSsl;
  const obj = parseJsonObject(text, setting, USE_SSL_EXAMPLE);
  const reqs = obj.ssl_cert_reqs;
  const certReqs =
    typeof reqs === 'number'
      ? CERT_REQS_NUMBERS[reqs]
      : stringMember(obj, 'ssl_cert_reqs', setting, USE_SSL_EXAMPLE);
  if (certReqs === undefined && reqs !== undefined && reqs !== null) {
    throw settingError(
      setting,
      '"ssl_cert_reqs" must be required, optional or none',
      USE_SSL_EXAMPLE,
    );
  }
  const tls: RedisTlsSettings = {
    certReqs,
    caCerts: stringMember(obj, 'ssl_ca_certs', setting, USE_SSL_EXAMPLE),
    certFile: stringMember(obj, 'ssl_certfile', setting, USE_SSL_EXAMPLE),
    keyFile: stringMember(obj, 'ssl_keyfile', setting, USE_SSL_EXAMPLE),
  };
  return Object.fromEntries(
    Object.entries(tls).filter(([, v]) => v !== undefined),
  );
}
