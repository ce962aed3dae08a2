/**
 * A real `celery worker` (solo pool, Redis broker) on each PostgreSQL layout: Celery's
 * `DatabaseBackend` (`db+postgresql://`, SQLAlchemy + psycopg2, pickled results; Debian's Celery
 * 5.2.6) and django-celery-results (`result_backend = 'django-db'`, JSON text; 2.6.0 with
 * Django 5.2 and Celery 5.6.3, the newest of the matrix). The service watches its tasks
 * (STARTED → PROGRESS → SUCCESS with datetime, date, Decimal, UUID, bytes, big int and tuple
 * values; a custom exception) and reads them exactly. The other way, typed values the service
 * writes are read back by Celery's AsyncResult as the same Python types.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toArray } from 'rxjs';
import {
  createResultBackend,
  TaskFailedError,
  type ResultBackendModuleOptions,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  PyDate,
  PyDateTime,
  PyDecimal,
  PyUuid,
  toPlain,
} from '../libs/result-backend/src/codec.js';
import { describeWithCelery, PYTHON } from './support/python.js';
import { describeWithServer } from './support/skip-gate.js';
import { startRedis, type TestRedis } from './support/redis-server.js';
import {
  PG_BINARIES,
  startPostgresql,
  type PostgresqlTestServer,
} from './support/postgresql-server.js';
import {
  createDjangoDatabase,
  describeWithDjangoResults,
  djangoEnv,
} from './support/django-db.js';
import { runInteropScript } from './support/pg-interop.js';

const PY_DIR = join(dirname(fileURLToPath(import.meta.url)), 'python');

/** One result layout the worker writes: its gate, database and the service's options. */
interface WorkerLayout {
  readonly name: string;
  /** Declares the block under its runtime gate (sets the Python of its tests). */
  describe(name: string, fn: () => void): void;
  /** Prepares the database; returns the script environment and the service's options. */
  prepare(server: PostgresqlTestServer): Promise<{
    env: NodeJS.ProcessEnv;
    options: ResultBackendModuleOptions;
  }>;
  /** The script whose `read` mode prints what Celery's AsyncResult returns. */
  readonly reader: string;
}

const LAYOUTS: readonly WorkerLayout[] = [
  {
    name: "db+postgresql:// (Celery's DatabaseBackend)",
    describe: (name, fn) =>
      describeWithCelery(
        name,
        fn,
        ['sqlalchemy', 'psycopg2', 'redis'],
        ['5.2.6'],
      ),
    async prepare(server) {
      await server.createDatabase('celery');
      // Celery's own DDL (SQLAlchemy create_all) runs in the worker; ours is the same
      // layout and idempotent, so the service may start first.
      return {
        env: { PG_URL: server.url('celery') },
        options: {
          url: server.url('celery'),
          postgresql: { createTables: true },
        },
      };
    },
    reader: 'pg_celery.py',
  },
  {
    name: 'django-db (django-celery-results)',
    describe: (name, fn) =>
      describeWithDjangoResults(name, () => fn(), ['2.6.0']),
    async prepare(server) {
      await createDjangoDatabase(server, 'django');
      return {
        env: djangoEnv(server, 'django'),
        options: {
          url: server.url('django').replace('db+', 'django-db+'),
          celeryVersion: '5.6',
        },
      };
    },
    reader: 'django_celery.py',
  },
];

describeWithServer(
  [...PG_BINARIES, 'redis-server'],
  'PostgreSQL ↔ live celery worker',
  () => {
    for (const layout of LAYOUTS)
      layout.describe(layout.name, () => {
        let pgServer: PostgresqlTestServer;
        let broker: TestRedis;
        let worker: ChildProcess | undefined;
        let workerLog = '';
        let svc: ResultBackendService;
        let env: NodeJS.ProcessEnv;

        const py = (
          script: string,
          mode: string,
          args: unknown,
        ): Promise<Record<string, unknown>[]> =>
          runInteropScript(join(PY_DIR, script), mode, args, {
            env,
            timeoutMs: 20_000,
            context: () => `worker:\n${workerLog}`,
          });

        beforeAll(async () => {
          [pgServer, broker] = await Promise.all([
            startPostgresql(),
            startRedis(),
          ]);
          const prepared = await layout.prepare(pgServer);
          env = {
            ...prepared.env,
            PYTHONPATH: PY_DIR,
            REDIS_BROKER_URL: broker.url.replace(/\/0$/, '/1'),
            PYTHONDONTWRITEBYTECODE: '1',
          };
          svc = await createResultBackend(
            { ...prepared.options, pollIntervalMs: 100 },
            { logger: { log() {}, warn() {}, error() {} } },
          );
          worker = spawn(
            PYTHON,
            [
              '-m',
              'celery',
              '-A',
              'pg_tasks',
              'worker',
              '-P',
              'solo',
              '-n',
              'w1@pg-interop',
              '--without-heartbeat',
              '--without-gossip',
              '--without-mingle',
              '-l',
              'info',
            ],
            {
              env: { ...process.env, ...env },
              stdio: ['ignore', 'pipe', 'pipe'],
            },
          );
          const keep = (d: Buffer): void => {
            workerLog = (workerLog + d.toString()).slice(-6000);
          };
          worker.stdout?.on('data', keep);
          worker.stderr?.on('data', keep);
        }, 30_000);

        afterAll(async () => {
          const w = worker;
          if (w && w.exitCode === null && w.signalCode === null) {
            const exited = new Promise((r) => w.once('exit', r));
            w.kill('SIGTERM');
            const t = setTimeout(() => w.kill('SIGKILL'), 8000);
            await exited;
            clearTimeout(t);
          }
          await svc?.close();
          await Promise.all([pgServer?.stop(), broker?.stop()]);
        }, 20_000);

        it('watches a worker task to SUCCESS with typed values, and a custom failure', async () => {
          const ids = { typed: randomUUID(), fail: randomUUID() };
          const states = svc
            .watch(ids.typed, { timeout: 30_000 })
            .pipe(toArray())
            .toPromise();
          const failed = svc
            .waitFor(ids.fail, { timeout: 30_000 })
            .catch((e: unknown) => e);
          await py('pg_tasks.py', 'send', ids);
          const seen = (await states)!.map((m) => m.status);
          expect(seen.at(-1)).toBe('SUCCESS');
          expect(seen).toEqual(expect.arrayContaining(['STARTED', 'PROGRESS']));
          const meta = await svc.getTaskMeta(ids.typed);
          const result = meta.result as Record<string, unknown>;
          expect(result.when).toEqual(
            new PyDateTime(2026, 11, 30, 15, 55, 44, 123456, null),
          );
          expect(result.day).toEqual(new PyDate(2024, 2, 29));
          expect(result.price).toEqual(new PyDecimal('1.10'));
          expect(result.id).toEqual(
            new PyUuid('12345678-1234-5678-1234-567812345678'),
          );
          expect(result.blob).toEqual(Buffer.from([0, 255]));
          expect(toPlain(result)).toEqual({
            when: '2026-11-30T15:55:44.123456',
            aware: '2020-01-02T03:04:05+00:00',
            day: '2024-02-29',
            price: '1.10',
            id: '12345678-1234-5678-1234-567812345678',
            blob: 'AP8=',
            big: 2n ** 70n,
            pair: [1, 'a'],
          });
          const err = await failed;
          expect(err).toBeInstanceOf(TaskFailedError);
          expect(err).toMatchObject({
            excType: 'QuotaExceeded',
            excModule: 'pg_tasks',
            excArgs: ['over', 3],
          });
        });

        it('writes typed values that Celery reads back as the same Python types', async () => {
          const id = randomUUID();
          await svc.markAsDone(id, {
            when: new PyDateTime(2026, 11, 30, 15, 55, 44, 123456, null),
            day: new PyDate(2024, 2, 29),
            price: new PyDecimal('1.10'),
            uuid: new PyUuid('12345678-1234-5678-1234-567812345678'),
            blob: Buffer.from([0, 255]),
            big: 2n ** 70n,
          });
          const [out] = await py(layout.reader, 'read', { ids: [id] });
          expect(out).toMatchObject({
            state: 'SUCCESS',
            items: {
              when: {
                type: 'datetime',
                repr: 'datetime.datetime(2026, 11, 30, 15, 55, 44, 123456)',
              },
              day: { type: 'date', repr: 'datetime.date(2024, 2, 29)' },
              price: { type: 'Decimal', repr: "Decimal('1.10')" },
              uuid: {
                type: 'UUID',
                repr: "UUID('12345678-1234-5678-1234-567812345678')",
              },
              blob: { type: 'bytes', repr: "b'\\x00\\xff'" },
              big: { type: 'int', repr: '1180591620717411303424' },
            },
          });
        });
      });
  },
);
