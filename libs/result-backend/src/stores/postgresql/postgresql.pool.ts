/**
 * node-postgres (`pg`, an optional peer loaded on first use): the pool built from a
 * `db+postgresql://` URL, TLS from libpq's `sslmode`, and error mapping.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { LoggerService } from '@nestjs/common';
import type {
  PgPoolLike,
  PostgresqlBackendConfig,
} from './postgresql.options.js';
import { BackendUnavailableError } from '../../errors/backend-unavailable.error.js';
import { ImproperlyConfiguredError } from '../../errors/improperly-configured.error.js';
import { ResultBackendError } from '../../errors/result-backend.error.js';
import { loadPackage } from '../../utils/load-package.util.js';

/** The pool the store uses: a user's, or its own (which it ends on close). @internal */
export interface OwnedPool {
  readonly pool: PgPoolLike;
  /** Ends the pool when the store created it; a no-op for a user's pool. */
  end(): Promise<void>;
}

interface PgModule {
  Pool: new (config: Record<string, unknown>) => PgPoolLike & {
    end(): Promise<void>;
    on(event: 'error', listener: (err: Error) => void): unknown;
  };
  Client: new (config: Record<string, unknown>) => {
    connect(): Promise<void>;
    end(): Promise<void>;
    on(event: 'error', listener: (err: Error) => void): unknown;
  };
}

/**
 * The server turned the first choice of `allow`/`prefer` down: it refused TLS (`N` to the
 * SSLRequest), or rejected the connection (SQLSTATE class 28, e.g. a `hostssl`/`hostnossl`
 * pg_hba.conf line). Network errors are not refusals: they fail as they are.
 */
function refused(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    (typeof code === 'string' && code.startsWith('28')) ||
    /does not support SSL/i.test(err instanceof Error ? err.message : '')
  );
}

/**
 * libpq's `allow` (plain, then TLS) and `prefer` (TLS, then plain): one trial connection in
 * that order when the store opens; the pool then uses what the server accepted (libpq decides
 * per connection; a server that changes its TLS setting later needs the store reopened). Other
 * modes need no trial.
 */
async function negotiateTls(
  mod: PgModule,
  base: Record<string, unknown>,
  config: PostgresqlBackendConfig,
): Promise<ConnectionOptions | false> {
  const tls = tlsOptions(config);
  const mode = config.tls?.mode;
  if (mode !== 'allow' && mode !== 'prefer') return tls;
  const [first, second]: (ConnectionOptions | false)[] =
    mode === 'prefer' ? [tls, false] : [false, tls];
  const client = new mod.Client({ ...base, ssl: first });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return first;
  } catch (err) {
    if (refused(err)) return second;
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** libpq `sslmode` as Node TLS options (`require` encrypts without checking, like libpq). */
function tlsOptions(
  config: PostgresqlBackendConfig,
): ConnectionOptions | false {
  const tls = config.tls;
  if (!tls) return false;
  const verify = tls.mode === 'verify-ca' || tls.mode === 'verify-full';
  return {
    rejectUnauthorized: verify,
    ...(tls.rootCert ? { ca: readFileSync(tls.rootCert) } : {}),
    ...(tls.cert ? { cert: readFileSync(tls.cert) } : {}),
    ...(tls.key ? { key: readFileSync(tls.key) } : {}),
    ...(tls.mode === 'verify-ca'
      ? { checkServerIdentity: () => undefined }
      : {}),
  };
}

/** The user's pool, or a new `pg.Pool` for the URL (idle errors logged, never thrown). @internal */
export async function openPool(
  config: PostgresqlBackendConfig,
  logger: LoggerService,
  description: string,
): Promise<OwnedPool> {
  if (config.pool) return { pool: config.pool, end: () => Promise.resolve() };
  const mod = await loadPackage<PgModule & { default?: PgModule }>(
    'pg',
    'PostgreSQL result store',
  );
  const pg = mod.Pool ? mod : (mod.default ?? mod);
  const base = {
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password,
    connectionTimeoutMillis: (config.connectTimeoutSeconds ?? 10) * 1000,
    application_name: config.applicationName ?? 'nest-celery-result-backend',
  };
  let ssl: ConnectionOptions | false;
  try {
    ssl = await negotiateTls(pg, base, config);
  } catch (err) {
    throw toStoreError(err, description, `${config.taskTable}`);
  }
  const pool = new pg.Pool({ ...base, ssl, max: 10 });
  // Idle connections cut by an outage: the pool reconnects on the next query; the outage is
  // logged once by the parts that need the server (reads, LISTEN), so this is detail only.
  pool.on('error', (err) => {
    logger.debug?.(
      `PostgreSQL ${description}: idle connection error: ${err.message}`,
    );
  });
  let ended = false;
  return {
    pool,
    end: async () => {
      if (ended) return;
      ended = true;
      await pool.end();
    },
  };
}

/** SQLSTATE of a missing table. */
const UNDEFINED_TABLE = '42P01';

/** The error a failed query becomes: typed, never holding the password. @internal */
export function toStoreError(
  err: unknown,
  description: string,
  tables: string,
  howToCreate?: string,
): Error {
  if (err instanceof ResultBackendError) return err;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === UNDEFINED_TABLE)
    return missingTables(tables, message, howToCreate);
  return new BackendUnavailableError(description, message, { cause: err });
}

/** The error for absent Celery tables, saying how to create them. @internal */
export function missingTables(
  tables: string,
  detail: string,
  howToCreate = "create it with the option postgresql.createTables: true (Celery's database_create_tables_at_setup), or start a Celery worker with the database backend once",
): ImproperlyConfiguredError {
  return new ImproperlyConfiguredError(
    'CELERY_RESULT_BACKEND',
    `the PostgreSQL result table ${tables} does not exist (${detail}); ${howToCreate}`,
  );
}
