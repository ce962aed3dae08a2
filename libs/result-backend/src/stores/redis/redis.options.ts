import type { HostPort } from '../../config/host-port.interface.js';

/**
 * TLS settings as given (Celery's `redis_backend_use_ssl` dict, or `redis.tls` in the module
 * options); the parser accepts `required|optional|none` and `CERT_REQUIRED|CERT_OPTIONAL|CERT_NONE`.
 * @publicApi
 */
export interface RedisTlsSettings {
  /** `ssl_cert_reqs`: `required`, `optional`, `none` (or `CERT_*`). */
  readonly certReqs?: string;
  /** `ssl_ca_certs`: CA bundle path. */
  readonly caCerts?: string;
  /** `ssl_certfile`: client certificate path. */
  readonly certFile?: string;
  /** `ssl_keyfile`: client key path. */
  readonly keyFile?: string;
}

/**
 * Redis, Sentinel and Cluster settings that do not live in the URL (Celery's transport
 * options and `redis_*` settings): `ResultBackendModuleOptions.redis`, else the
 * `CELERY_REDIS_*` settings.
 * @publicApi
 */
export interface RedisStoreOptions {
  /** Sentinel master name (`result_backend_transport_options.master_name`). */
  readonly masterName?: string;
  /** Password of the sentinels (`sentinel_kwargs.password`). */
  readonly sentinelPassword?: string;
  /** Username of the sentinels (`sentinel_kwargs.username`). */
  readonly sentinelUsername?: string;
  /** Seconds (`redis_socket_timeout`, default 120); a `socket_timeout` query parameter wins. */
  readonly socketTimeout?: number;
  /** Seconds (`redis_socket_connect_timeout`); a `socket_connect_timeout` query parameter wins. */
  readonly socketConnectTimeout?: number;
  /** `redis_backend_use_ssl`: only with `rediss://`, `rediss+cluster://` and `sentinel://`. */
  readonly tls?: RedisTlsSettings;
  /** `redis_username`, used when the URL has no user. */
  readonly username?: string;
  /** `redis_password`, used when the URL has no password. */
  readonly password?: string;
}

/** Checked TLS settings in Celery's `ssl_*` vocabulary. @publicApi */
export interface RedisTlsConfig {
  /** `required`, `optional` or `none`. */
  readonly certReqs: 'required' | 'optional' | 'none';
  /** CA bundle path. */
  readonly caCerts?: string;
  /** Client certificate path. */
  readonly certFile?: string;
  /** Client key path. */
  readonly keyFile?: string;
}

/** Connection settings shared by the three Redis forms. @publicApi */
export interface RedisConnectionConfig {
  /** ACL user. */
  readonly username?: string;
  /** Password (never logged). */
  readonly password?: string;
  /** TLS, for `rediss://`, `rediss+cluster://` and TLS sentinels. */
  readonly tls?: RedisTlsConfig;
  /** Seconds; Celery's `redis_socket_timeout` (default 120). */
  readonly socketTimeout?: number;
  /** Seconds; Celery's `redis_socket_connect_timeout`. */
  readonly socketConnectTimeout?: number;
  /** Other query parameters, passed through as text. */
  readonly query: Readonly<Record<string, string>>;
}

/** `redis://`, `rediss://`, `redis+socket://`, parsed. @publicApi */
export interface RedisBackendConfig extends RedisConnectionConfig {
  /** Discriminant. */
  readonly kind: 'redis';
  /** Host name. */
  readonly host: string;
  /** TCP port. */
  readonly port: number;
  /** Unix socket path (`redis+socket://`); host/port are ignored when set. */
  readonly socketPath?: string;
  /** Database number. */
  readonly db: number;
}

/** `sentinel://host:port;sentinel://host2:port` with `master_name`, parsed. @publicApi */
export interface SentinelBackendConfig extends RedisConnectionConfig {
  /** Discriminant. */
  readonly kind: 'sentinel';
  /** The sentinels, in the URL's order. */
  readonly sentinels: readonly HostPort[];
  /** Name of the monitored master. */
  readonly masterName: string;
  /** Database number. */
  readonly db: number;
  /** Password for the sentinels themselves (`sentinel_kwargs.password`). */
  readonly sentinelPassword?: string;
  /** Username for the sentinels themselves. */
  readonly sentinelUsername?: string;
}

/** Redis Cluster (`redis+cluster://h1:p1,h2:p2`), which Celery itself does not support. @publicApi */
export interface RedisClusterBackendConfig extends RedisConnectionConfig {
  /** Discriminant. */
  readonly kind: 'redis-cluster';
  /** Seed nodes. */
  readonly nodes: readonly HostPort[];
}
