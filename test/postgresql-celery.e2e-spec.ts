/**
 * Live interop with Debian's Celery 5.2.6 DatabaseBackend (SQLAlchemy 1.4 + psycopg2) on a
 * PostgreSQL started by the test, both ways: Celery creates its tables and writes STARTED →
 * PROGRESS → SUCCESS (typed values), failures and a group that the service watches and reads;
 * the service writes results, failures and a group that Celery's AsyncResult and
 * GroupResult.restore return with the right types and exception classes.
 */
import { fileURLToPath } from 'node:url';
import {
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  PyDateTime,
  PyDecimal,
  PyUuid,
  toPlain,
} from '../libs/result-backend/src/codec.js';
import { describeWithCelery, runPython } from './support/python.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  PG_BINARIES,
  startPostgresql,
  type PostgresqlTestServer,
} from './support/postgresql-server.js';
import { watchCeleryWrites, writeForCelery } from './support/pg-interop.js';

const SCRIPT = fileURLToPath(new URL('./python/pg_celery.py', import.meta.url));

describeWithServer(
  PG_BINARIES,
  'PostgreSQL <-> Celery 5.2.6 DatabaseBackend',
  () => {
    describeWithCelery(
      'live',
      () => {
        let server: PostgresqlTestServer;
        let svc: ResultBackendService;
        const py = async (
          mode: string,
          args: unknown,
        ): Promise<Record<string, unknown>[]> => {
          const run = await runPython([SCRIPT, mode, JSON.stringify(args)], {
            env: { PG_URL: server.url('celery') },
            timeoutMs: 60_000,
          });
          if (run.code !== 0)
            throw new Error(`pg_celery.py ${mode} failed:\n${run.stderr}`);
          return run.stdout
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as Record<string, unknown>);
        };

        beforeAll(async () => {
          server = await startPostgresql();
          await server.createDatabase('celery');
          // Celery creates its own tables on first use; the service must read them as they are.
          await py('write', {
            ok: 'warmup',
            bad: 'warmup-bad',
            custom: 'warmup-c',
            group: 'warmup-g',
          });
          svc = await createResultBackend({
            url: server.url('celery'),
            pollIntervalMs: 100,
          });
        });

        afterAll(async () => {
          await svc?.close();
          await server?.stop();
        });

        it('watches Celery writing STARTED → PROGRESS → SUCCESS, failures and a group', async () => {
          const { ok, bad } = await watchCeleryWrites(svc, (ids) =>
            py('write', ids),
          );
          expect(ok.result).toEqual(
            expect.objectContaining({
              when: expect.any(PyDateTime),
              price: expect.any(PyDecimal),
              id: expect.any(PyUuid),
            }),
          );
          expect(toPlain(ok.result)).toEqual({
            when: '2026-11-30T15:55:44.123456',
            aware: '2020-01-02T03:04:05+00:00',
            price: '1.10',
            id: '12345678-1234-5678-1234-567812345678',
            big: 2n ** 70n,
            tuple: [1, 'a'],
            bytes: 'AP8=',
          });
          expect(bad.traceback).toBe('Traceback: boom');
        });

        it('writes results Celery reads with the right types and exception classes', async () => {
          const { ids, out } = await writeForCelery(svc, (w) =>
            py('read', { ids: [w.ok, w.failed, w.remote] }),
          );
          expect(out[0]).toMatchObject({
            items: {
              when: {
                type: 'datetime',
                repr: 'datetime.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)',
              },
            },
          });
          expect(await py('group-read', { group: ids.group })).toEqual([
            { group: ids.group, ids: [ids.ok, ids.failed] },
          ]);
        });
      },
      ['sqlalchemy', 'psycopg2'],
    );
  },
);
