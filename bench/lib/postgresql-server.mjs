// A throwaway PostgreSQL for the benches (Debian's `postgresql`): initdb into a temp folder and
// postgres on a free loopback port, as `nobody` when run as root (PostgreSQL refuses root).
// Durability settings as in the test server (fsync off) so the numbers measure the client side.
import { spawn, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './harness.mjs';

const root = '/usr/lib/postgresql';
const major = existsSync(root)
  ? readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a))[0]
  : undefined;
export const PG_BIN =
  process.env.PG_BIN ?? (major ? join(root, major, 'bin') : '');
export const HAS_POSTGRES = !!PG_BIN && existsSync(join(PG_BIN, 'postgres'));

const NOBODY = 65534;

/** Start PostgreSQL; returns { port, url(db), pool(db), createDatabase(name), stop() }. */
export async function startPostgresql() {
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: NOBODY, gid: NOBODY } : {};
  const dir = mkdtempSync(join(tmpdir(), 'pg-bench-'));
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
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const port = await freePort();
  const args = [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'max_connections=200',
  ];
  const child = asRoot
    ? spawn(
        'setpriv',
        [
          `--reuid=${NOBODY}`,
          `--regid=${NOBODY}`,
          '--clear-groups',
          join(PG_BIN, 'postgres'),
          ...args,
        ],
        { cwd: dir, stdio: 'ignore' },
      )
    : spawn(join(PG_BIN, 'postgres'), args, { cwd: dir, stdio: 'ignore' });
  const cfg = (database = 'postgres') => ({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database,
  });
  for (let i = 0; ; i++) {
    const c = new pg.Client(cfg());
    try {
      await c.connect();
      await c.query('SELECT 1');
      break;
    } catch (e) {
      if (i > 200) throw e;
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  return {
    port,
    url: (db = 'postgres') =>
      `db+postgresql://postgres@127.0.0.1:${port}/${db}`,
    sqlalchemyUrl: (db = 'postgres') =>
      `db+postgresql://postgres@127.0.0.1:${port}/${db}`,
    pool: (db = 'postgres', max = 10) => {
      const p = new pg.Pool({ ...cfg(db), max });
      p.on('error', () => undefined);
      return p;
    },
    async createDatabase(name) {
      const c = new pg.Client(cfg());
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name}"`);
      } finally {
        await c.end();
      }
      return name;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
