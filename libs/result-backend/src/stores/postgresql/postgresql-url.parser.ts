/**
 * `db+postgresql://` (Celery's SQLAlchemy `DatabaseBackend`) and `django-db+postgresql://`
 * (django-celery-results) URLs and the PostgreSQL store settings.
 */
import { settingError, urlError } from '../../config/config.errors.js';
import { hostPort, maskedAuth } from '../../config/url-parts.describer.js';
import { partsOrError } from '../../config/url-parts-or-error.parser.js';
import {
  DJANGO_DB_EXAMPLE,
  POSTGRESQL_EXAMPLE,
  type PostgresqlBackendConfig,
  type PostgresqlStoreOptions,
  type PostgresqlTlsConfig,
} from './postgresql.options.js';

/** SQLAlchemy dialect+driver names this store accepts after `db+` (the driver is ignored). */
const SCHEMES = new Set([
  'db+postgresql',
  'db+postgresql+psycopg2',
  'db+postgresql+psycopg',
  'db+postgresql+pg8000',
  'db+postgresql+asyncpg',
]);

/** django-celery-results' tables on PostgreSQL (`django-db` plus the database URL). */
const DJANGO_SCHEMES = new Set(['django-db+postgresql', 'django-db+postgres']);

/** Default table names per layout (Celery's models / django-celery-results' models). */
const TABLES = {
  celery: { task: 'celery_taskmeta', group: 'celery_tasksetmeta' },
  django: {
    task: 'django_celery_results_taskresult',
    group: 'django_celery_results_groupresult',
  },
} as const;

const SSL_MODES = new Set([
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
]);

/** A SQL identifier we accept in table and schema names (quoted when used). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** The schemes {@link parsePostgresqlUrl} reads. @internal */
export const POSTGRESQL_SCHEMES: readonly string[] = [
  ...SCHEMES,
  ...DJANGO_SCHEMES,
];

/** node-postgres' `ssl=true|1` (verified TLS, as `ssl: true` does) or `ssl=false|0`. */
function sslFlag(
  value: string | undefined,
  fail: (problem: string) => Error,
): string | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return 'verify-full';
  if (value === 'false' || value === '0') return 'disable';
  throw fail('ssl must be true, false, 1 or 0');
}

function tlsFrom(
  query: Record<string, string>,
  fail: (problem: string) => Error,
): PostgresqlTlsConfig | undefined {
  const mode = query.sslmode ?? sslFlag(query.ssl, fail);
  if (mode === undefined) return undefined;
  if (!SSL_MODES.has(mode))
    throw fail(`sslmode must be one of ${[...SSL_MODES].join(', ')}`);
  if (mode === 'disable') return undefined;
  return {
    mode: mode as PostgresqlTlsConfig['mode'],
    ...(query.sslrootcert ? { rootCert: query.sslrootcert } : {}),
    ...(query.sslcert ? { cert: query.sslcert } : {}),
    ...(query.sslkey ? { key: query.sslkey } : {}),
  };
}

function identifier(
  value: string | undefined,
  fallback: string | null,
  option: string,
  fail: (problem: string) => Error,
): string | null {
  if (value === undefined || value === '') return fallback;
  if (!IDENTIFIER.test(value))
    throw fail(
      `postgresql.${option} must be a plain SQL identifier (letters, digits, _ and $)`,
    );
  return value;
}

/**
 * `db+postgresql://user:pass@host:5432/db?sslmode=require` (also `+psycopg2`, `+psycopg`,
 * `+pg8000`, `+asyncpg`: the driver part is ignored, node-postgres is used). libpq query
 * options: `sslmode` (`disable`…`verify-full`), `sslrootcert`, `sslcert`, `sslkey`,
 * node-postgres' `ssl=true` (= `verify-full`; `sslmode` wins when both are given),
 * `connect_timeout` (seconds), `application_name`. Table names and schemas come from the
 * settings (Celery's `database_table_names` / `database_table_schemas`).
 * @internal
 */
export function parsePostgresqlUrl(
  url: string,
  settings: PostgresqlStoreOptions = {},
): PostgresqlBackendConfig {
  const scheme = url.slice(0, url.indexOf('://')).trim().toLowerCase();
  const layout = DJANGO_SCHEMES.has(scheme) ? 'django' : 'celery';
  const example = layout === 'django' ? DJANGO_DB_EXAMPLE : POSTGRESQL_EXAMPLE;
  const parts = partsOrError(url, { example, secrets: [] });
  const secrets = [parts.password];
  const fail = (problem: string): Error =>
    urlError(url, problem, example, secrets);
  const database = (parts.path ?? '').replace(/^\/+|\/+$/g, '');
  if (!database) throw fail('the URL must name a database: /<dbname>');
  const timeout = parts.query.connect_timeout;
  if (timeout !== undefined && !/^\d+$/.test(timeout))
    throw fail('connect_timeout must be whole seconds');
  if (layout === 'django' && settings.createTables)
    throw fail(
      "postgresql.createTables is for Celery's own tables; create django-celery-results' tables with its Django migrations (python manage.py migrate django_celery_results)",
    );
  return {
    kind: 'postgresql',
    layout,
    host: parts.hostname ?? 'localhost',
    port: parts.port ?? 5432,
    database,
    ...(parts.username !== undefined ? { user: parts.username } : {}),
    ...(parts.password !== undefined ? { password: parts.password } : {}),
    ...(timeout !== undefined
      ? { connectTimeoutSeconds: Number(timeout) }
      : {}),
    ...(parts.query.application_name
      ? { applicationName: parts.query.application_name }
      : {}),
    tls: tlsFrom(parts.query, fail),
    taskTable: identifier(
      settings.taskTable,
      TABLES[layout].task,
      'taskTable',
      fail,
    )!,
    groupTable: identifier(
      settings.groupTable,
      TABLES[layout].group,
      'groupTable',
      fail,
    )!,
    taskSchema: identifier(settings.taskSchema, null, 'taskSchema', fail),
    groupSchema: identifier(settings.groupSchema, null, 'groupSchema', fail),
    createTables: settings.createTables ?? false,
    extended: settings.extended,
    ...(settings.pool ? { pool: settings.pool } : {}),
  };
}

/**
 * `result_backend = 'django-db'`: the database URL from `postgresql.databaseUrl`
 * (`postgresql://…` or `postgres://…`), read as `django-db+postgresql://…`.
 * @internal
 */
export function djangoDbUrl(settings: PostgresqlStoreOptions = {}): string {
  const db = settings.databaseUrl?.trim() ?? '';
  const scheme = db.slice(0, Math.max(0, db.indexOf('://'))).toLowerCase();
  if (scheme !== 'postgresql' && scheme !== 'postgres')
    throw settingError(
      'postgresql.databaseUrl',
      db === ''
        ? 'the result backend is "django-db" but no PostgreSQL database URL is set'
        : 'expected a postgresql:// (or postgres://) URL',
      'postgresql://django:password@localhost:5432/app',
    );
  return `django-db+${db}`;
}

/** `db+postgresql://user:***@host:port/db?sslmode=…`: password masked. @internal */
export function describePostgresql(config: PostgresqlBackendConfig): string {
  const prefix = config.layout === 'django' ? 'django-db+' : 'db+';
  const base = `${prefix}postgresql://${maskedAuth(config.user, config.password)}${hostPort(config)}/${encodeURIComponent(config.database)}`;
  return config.tls ? `${base}?sslmode=${config.tls.mode}` : base;
}
