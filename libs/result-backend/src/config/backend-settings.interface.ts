import type { PgPoolLike } from './backend-config.interface.js';

/**
 * TLS settings as given (Celery's `redis_backend_use_ssl` dict or `RedisStoreOptions.tls`);
 * validated by the parser, which accepts `required|optional|none` and `CERT_*`.
 * @publicApi
 */
export interface RedisTlsSettings {
  /** `ssl_cert_reqs`. */
  readonly certReqs?: string;
  /** `ssl_ca_certs`. */
  readonly caCerts?: string;
  /** `ssl_certfile`. */
  readonly certFile?: string;
  /** `ssl_keyfile`. */
  readonly keyFile?: string;
}

/** Redis, Sentinel and Cluster settings that do not live in the URL. @publicApi */
export interface RedisBackendSettings {
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

/** Celery's `s3_*` settings (plus `forcePathStyle` and `maxConcurrency`). @publicApi */
export interface S3BackendSettings {
  readonly bucket?: string;
  readonly basePath?: string;
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly forcePathStyle?: boolean;
  /** Parallel requests for `getMany` and polling (default 16). */
  readonly maxConcurrency?: number;
}

/** PostgreSQL store settings (Celery's `database_*` settings plus a user's pool). @publicApi */
export interface PostgresqlBackendSettings {
  /** `database_table_names['task']`. */
  readonly taskTable?: string;
  /** `database_table_names['group']`. */
  readonly groupTable?: string;
  /** `database_table_schemas['task']`. */
  readonly taskSchema?: string;
  /** `database_table_schemas['group']`. */
  readonly groupSchema?: string;
  /** `database_create_tables_at_setup` (default false here: tables are created only when asked). */
  readonly createTables?: boolean;
  /** Write the `result_extended` columns (default: when the table has them). */
  readonly extended?: boolean;
  /** An existing node-postgres `Pool` to use (never ended by the store). */
  readonly pool?: PgPoolLike;
}

/**
 * The settings {@link parseBackendUrl} combines with the URL, already read and typed.
 * @publicApi
 */
export interface BackendSettings {
  readonly redis?: RedisBackendSettings;
  readonly s3?: S3BackendSettings;
  readonly postgresql?: PostgresqlBackendSettings;
  /** Celery's legacy `cache_backend` (`memcached://h:p/`), used when the URL is just `cache`. */
  readonly cacheBackend?: string;
}
