/**
 * Types and settings of the PostgreSQL store: Celery's `DatabaseBackend` tables
 * (`db+postgresql://`) or django-celery-results' (`django-db+postgresql://`, `django-db`).
 */

/**
 * Which tables the store reads and writes: `celery` = Celery's SQLAlchemy `DatabaseBackend`
 * (`celery_taskmeta`, `celery_tasksetmeta`, pickled results); `django` = django-celery-results
 * (`django_celery_results_taskresult`, `_groupresult`, `_chordcounter`, JSON text results).
 * @publicApi
 */
export type PostgresqlLayoutName = 'celery' | 'django';

/** TLS of `db+postgresql://` (libpq's `sslmode`, `sslrootcert`, `sslcert`, `sslkey`). @publicApi */
export interface PostgresqlTlsConfig {
  /**
   * `require`: encrypt without checking the certificate; `verify-ca`: check the chain;
   * `verify-full`: chain and host name. `prefer` (TLS, else plain) and `allow` (plain, else
   * TLS) try libpq's order once when the store opens, unchecked when encrypted.
   */
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

/**
 * `db+postgresql://` (Celery's SQLAlchemy `DatabaseBackend` tables) or
 * `django-db+postgresql://` / `django-db` (django-celery-results' tables) in PostgreSQL.
 * @publicApi
 */
export interface PostgresqlBackendConfig {
  /** Discriminant. */
  readonly kind: 'postgresql';
  /** Whose tables: Celery's (`db+postgresql://`) or django-celery-results' (`django-db`). */
  readonly layout: PostgresqlLayoutName;
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
  /** `database_table_names['task']` (default `celery_taskmeta`; django: `django_celery_results_taskresult`). */
  readonly taskTable: string;
  /** `database_table_names['group']` (default `celery_tasksetmeta`; django: `django_celery_results_groupresult`). */
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

/** PostgreSQL store settings (`postgresql` module option): Celery's `database_*` settings plus a user's pool. @publicApi */
export interface PostgresqlStoreOptions {
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
  /**
   * The database of `result_backend: 'django-db'` (Django's `DATABASES['default']` as a URL:
   * `postgresql://user:pass@host:5432/db`, `postgres://…`, query options as in
   * `db+postgresql://`). Only read for the bare name `django-db`; `django-db+postgresql://…`
   * carries it in the URL.
   */
  readonly databaseUrl?: string;
}

/** Example shown in PostgreSQL configuration errors. @internal */
export const POSTGRESQL_EXAMPLE =
  'db+postgresql://celery:password@localhost:5432/celery';

/** Example shown in django-celery-results configuration errors. @internal */
export const DJANGO_DB_EXAMPLE =
  'django-db+postgresql://django:password@localhost:5432/app';
