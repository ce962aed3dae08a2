/**
 * A throwaway PostgreSQL (Debian's `postgresql` package) for the tests: `initdb` into a temp
 * folder and `postgres` on a free loopback port, run as an unprivileged user (`nobody` when the
 * tests run as root, since PostgreSQL refuses root), stopped and removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { getFreePort, startServer, type TestServer } from './server-process.js';

/** Debian's PostgreSQL binaries (newest installed major), or `PG_BIN`. */
export const PG_BIN: string =
  process.env.PG_BIN ??
  (() => {
    const root = '/usr/lib/postgresql';
    const majors = existsSync(root)
      ? readdirSync(root)
          .filter((v) => /^\d+$/.test(v))
          .sort((a, b) => Number(b) - Number(a))
      : [];
    return majors.length
      ? join(root, majors[0], 'bin')
      : '/usr/lib/postgresql/15/bin';
  })();

/** Binaries `describeWithServer` checks. */
export const PG_BINARIES = [join(PG_BIN, 'initdb'), join(PG_BIN, 'postgres')];

/** A running test PostgreSQL. */
export interface PostgresqlTestServer {
  readonly port: number;
  /** `db+postgresql://postgres@127.0.0.1:PORT/<db>` for a database name. */
  url(database?: string): string;
  /** libpq-style connection string for Python (`postgresql://…`). */
  sqlalchemyUrl(database?: string): string;
  /** A new `pg.Pool` on a database (caller ends it); see {@link PoolOptions}. */
  pool(database?: string, options?: PoolOptions): pg.Pool;
  /** `CREATE DATABASE name`; returns the name. */
  createDatabase(name: string): Promise<string>;
  /**
   * Kill the server (SIGKILL by default: a crash) keeping the data folder; acknowledged commits
   * survive, as with a real server's synchronous commits.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same port and data. */
  restart(): Promise<void>;
  /** Stop it and delete the data folder. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link PostgresqlTestServer.pool}. */
export interface PoolOptions {
  /** Pool size (default 4). */
  readonly max?: number;
  /**
   * Connect over TCP to 127.0.0.1, as the library does with {@link PostgresqlTestServer.url},
   * instead of the Unix socket (default), e.g. for a bench comparing the two.
   */
  readonly tcp?: boolean;
}

const NOBODY = 65534;

/** Extra setup of {@link startPostgresql}. */
export interface PostgresqlTestOptions {
  /** More `-c name=value` settings (e.g. `ssl=on`). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Replaces `pg_hba.conf` (e.g. `hostssl` only). */
  readonly hba?: string;
  /** Files to copy into the data folder before start (name → content), owned by the server user, mode 0600. */
  readonly files?: Readonly<Record<string, string>>;
}

/** initdb + postgres as `nobody` (or the current user when not root). */
export async function startPostgresql(
  options: PostgresqlTestOptions = {},
): Promise<PostgresqlTestServer> {
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  if (asRoot) chownSync(dir, NOBODY, NOBODY);
  const data = join(dir, 'data');
  const init = spawnSync(
    join(PG_BIN, 'initdb'),
    [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ],
    {
      ...ids,
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C' },
    },
  );
  if (init.status !== 0)
    throw new Error(`initdb failed:\n${init.stderr}${init.stdout}`);
  const files = { ...options.files };
  if (options.hba !== undefined) files['pg_hba.conf'] = options.hba;
  for (const [name, content] of Object.entries(files)) {
    const path = join(data, name);
    writeFileSync(path, content, { mode: 0o600 });
    if (asRoot) chownSync(path, NOBODY, NOBODY);
  }
  const port = await getFreePort();
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
  ];
  for (const [name, value] of Object.entries(options.settings ?? {}))
    args.push('-c', `${name}=${value}`);
  args.push(
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
  );
  // Helper connections use the Unix socket, so a test may restrict TCP (e.g. to TLS only).
  const local = { host: dir, port, user: 'postgres' };
  const ready = async (): Promise<void> => {
    const end = Date.now() + 30_000; // a deadline, not a count: a loaded machine is slow
    while (Date.now() < end) {
      const client = new pg.Client({
        ...local,
        database: 'postgres',
      });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw new Error('postgres did not accept queries');
  };
  // startServer has no uid option: run postgres through setpriv when root.
  const launch = (): Promise<TestServer> =>
    asRoot
      ? startServer({
          command: 'setpriv',
          args: [
            `--reuid=${NOBODY}`,
            `--regid=${NOBODY}`,
            '--clear-groups',
            join(PG_BIN, 'postgres'),
            ...args,
          ],
          port,
          cwd: dir,
          ready,
        })
      : startServer({
          command: join(PG_BIN, 'postgres'),
          args,
          port,
          cwd: dir,
          ready,
        });
  let server = await launch();
  const url = (db = 'postgres'): string =>
    `db+postgresql://postgres@127.0.0.1:${port}/${db}`;
  let stopped = false;
  return {
    port,
    url,
    sqlalchemyUrl: (db = 'postgres') =>
      `postgresql://postgres@127.0.0.1:${port}/${db}`,
    pool: (db = 'postgres', { max = 4, tcp = false }: PoolOptions = {}) => {
      const p = new pg.Pool({
        ...local,
        ...(tcp ? { host: '127.0.0.1' } : {}),
        database: db,
        max,
      });
      p.on('error', () => undefined); // idle connections cut by a server stop/kill in a test
      return p;
    },
    async createDatabase(name) {
      const client = new pg.Client({
        ...local,
        database: 'postgres',
      });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return name;
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      // The server runs with synchronous_commit=off (speed): a commit may still be in WAL
      // buffers. A real server (synchronous_commit=on) keeps every acknowledged commit through a
      // crash, so flush first; then crash. Best effort: the server may already be down.
      const client = new pg.Client({ ...local, database: 'postgres' });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('CHECKPOINT');
      } catch {
        /* already down: nothing to flush */
      } finally {
        await client.end().catch(() => undefined);
      }
      await server.stop(signal);
    },
    async restart() {
      await server.stop('SIGKILL');
      rmSync(join(data, 'postmaster.pid'), { force: true });
      server = await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
