/** One host and port. @publicApi */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** TLS settings in Celery's `ssl_*` vocabulary (`rediss://` query or `redis_backend_use_ssl`). @publicApi */
export interface RedisTlsConfig {
  /** `required`, `optional` or `none` (Celery also accepts `CERT_REQUIRED` …). */
  readonly certReqs: 'required' | 'optional' | 'none';
  /** CA bundle path. */
  readonly caCerts?: string;
  /** Client certificate path. */
  readonly certFile?: string;
  /** Client key path. */
  readonly keyFile?: string;
}

/** `redis://`, `rediss://`, `redis+socket://`. @publicApi */
export interface RedisBackendConfig {
  readonly kind: 'redis';
  readonly host: string;
  readonly port: number;
  /** Unix socket path (`redis+socket://`); host/port are ignored when set. */
  readonly socketPath?: string;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: RedisTlsConfig;
  /** Seconds; Celery's `redis_socket_timeout` (default 120). */
  readonly socketTimeout?: number;
  /** Seconds; Celery's `redis_socket_connect_timeout`. */
  readonly socketConnectTimeout?: number;
  /** Other query parameters, passed through as text. */
  readonly query: Readonly<Record<string, string>>;
}

/** `sentinel://host:port;sentinel://host2:port` with `master_name`. @publicApi */
export interface SentinelBackendConfig {
  readonly kind: 'sentinel';
  readonly sentinels: readonly HostPort[];
  readonly masterName: string;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** Password for the sentinels themselves (`sentinel_kwargs.password`). */
  readonly sentinelPassword?: string;
  readonly sentinelUsername?: string;
  readonly tls?: RedisTlsConfig;
  /** Seconds; `redis_socket_timeout` (default 120). */
  readonly socketTimeout?: number;
  /** Seconds; `redis_socket_connect_timeout`. */
  readonly socketConnectTimeout?: number;
  readonly query: Readonly<Record<string, string>>;
}

/** Redis Cluster (`redis+cluster://h1:p1,h2:p2`), which Celery itself does not support. @publicApi */
export interface RedisClusterBackendConfig {
  readonly kind: 'redis-cluster';
  readonly nodes: readonly HostPort[];
  readonly username?: string;
  readonly password?: string;
  readonly tls?: RedisTlsConfig;
  /** Seconds; `redis_socket_timeout` (default 120). */
  readonly socketTimeout?: number;
  /** Seconds; `redis_socket_connect_timeout`. */
  readonly socketConnectTimeout?: number;
  readonly query: Readonly<Record<string, string>>;
}

/** `file:///abs/dir`. @publicApi */
export interface FilesystemBackendConfig {
  readonly kind: 'filesystem';
  /** Directory holding one file per key (absolute, or relative to the cwd as in Celery). */
  readonly path: string;
}

/** Celery's `s3_*` settings (the `s3://` URL is a convenience on top). @publicApi */
export interface S3BackendConfig {
  readonly kind: 's3';
  readonly bucket: string;
  /** Prepended to every key with no separator, exactly as Celery does. */
  readonly basePath: string;
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** Path-style addressing (needed for most S3-compatible servers). */
  readonly forcePathStyle: boolean;
  /** Parallel requests for `getMany` and polling (the parser fills in 16). */
  readonly maxConcurrency?: number;
}

/** `couchdb://[user:pass@]host:port/container` (`couchdbs://` for https). @publicApi */
export interface CouchDbBackendConfig {
  readonly kind: 'couchdb';
  readonly protocol: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** Database name (`default` when the URL has no path, as in Celery). */
  readonly database: string;
  readonly username?: string;
  readonly password?: string;
}

/** `cache+memcached://h1:p1;h2:p2/`. @publicApi */
export interface MemcachedBackendConfig {
  readonly kind: 'memcached';
  /** In Celery's order: the order decides key placement, as in pylibmc. */
  readonly servers: readonly HostPort[];
}

/** `cache+memory://`: in-process, for tests and eager mode. @publicApi */
export interface MemoryBackendConfig {
  readonly kind: 'memory';
}

/** `disabled://`: every call fails like Celery's DisabledBackend. @publicApi */
export interface DisabledBackendConfig {
  readonly kind: 'disabled';
}

/** TLS of `db+postgresql://` (libpq's `sslmode`, `sslrootcert`, `sslcert`, `sslkey`). @publicApi */
export interface PostgresqlTlsConfig {
  /** `allow`/`prefer`/`require`: encrypt without checking the certificate; `verify-ca`: check the chain; `verify-full`: chain and host name. */
  readonly mode: 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
  /** CA bundle path (`sslrootcert`). */
  readonly rootCert?: string;
  /** Client certificate path (`sslcert`). */
  readonly cert?: string;
  /** Client key path (`sslkey`). */
  readonly key?: string;
}

/**
 * The smallest part of a node-postgres `Pool` the store uses, so a user's own `pg.Pool` can be
 * given (`postgresql.pool`); the store never ends a pool it did not create.
 * @publicApi
 */
export interface PgPoolLike {
  /** `pool.query(text, values)`. */
  query(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: unknown[]; rowCount: number | null }>;
  /** `pool.connect()`: a dedicated client (used for `LISTEN`). */
  connect(): Promise<unknown>;
}

/** `db+postgresql://` — Celery's SQLAlchemy `DatabaseBackend` tables in PostgreSQL. @publicApi */
export interface PostgresqlBackendConfig {
  readonly kind: 'postgresql';
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user?: string;
  readonly password?: string;
  /** `connect_timeout` query parameter, seconds. */
  readonly connectTimeoutSeconds?: number;
  /** `application_name` query parameter. */
  readonly applicationName?: string;
  readonly tls?: PostgresqlTlsConfig;
  /** `database_table_names['task']` (default `celery_taskmeta`). */
  readonly taskTable: string;
  /** `database_table_names['group']` (default `celery_tasksetmeta`). */
  readonly groupTable: string;
  /** `database_table_schemas['task']`, `null` = the search path. */
  readonly taskSchema: string | null;
  /** `database_table_schemas['group']`, `null` = the search path. */
  readonly groupSchema: string | null;
  /** Create missing tables and sequences at startup (`database_create_tables_at_setup`). */
  readonly createTables: boolean;
  /** Write the `result_extended` columns; `undefined` = when the table has them. */
  readonly extended?: boolean;
  /** A user's pool to use instead of one built from the URL. */
  readonly pool?: PgPoolLike;
}

/** A parsed backend URL plus its settings. @publicApi */
export type BackendConfig =
  | RedisBackendConfig
  | SentinelBackendConfig
  | RedisClusterBackendConfig
  | FilesystemBackendConfig
  | S3BackendConfig
  | CouchDbBackendConfig
  | MemcachedBackendConfig
  | PostgresqlBackendConfig
  | MemoryBackendConfig
  | DisabledBackendConfig;
