/**
 * Live interop with Debian's Celery 5.2.6 DatabaseBackend (SQLAlchemy 1.4 + psycopg2) on a
 * PostgreSQL started by the test, both ways: Celery creates its tables and writes STARTED →
 * PROGRESS → SUCCESS (typed values), failures and a group that the service watches and reads;
 * the service writes results, failures and a group that Celery's AsyncResult and
 * GroupResult.restore return with the right types and exception classes.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { toArray } from 'rxjs';
import {
  createResultBackend,
  TaskFailedError,
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
          const ids = {
            ok: randomUUID(),
            bad: randomUUID(),
            custom: randomUUID(),
            group: randomUUID(),
          };
          const states = svc
            .watch(ids.ok, { timeout: 30_000 })
            .pipe(toArray())
            .toPromise();
          // 1.5 s between states: a poll (100 ms) must see each one even when CI starves the process.
          await py('write', { ...ids, pause: 1.5 });
          const seen = (await states)!.map((m) => m.status);
          expect(seen).toEqual(
            ['PENDING', 'STARTED', 'PROGRESS', 'SUCCESS'].filter((s) =>
              seen.includes(s),
            ),
          );
          expect(seen).toEqual(
            expect.arrayContaining(['STARTED', 'PROGRESS', 'SUCCESS']),
          );
          const ok = await svc.getTaskMeta(ids.ok);
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
          const bad = await svc.getTaskMeta(ids.bad);
          expect(bad.error).toBeInstanceOf(TaskFailedError);
          expect(bad.error).toMatchObject({
            excType: 'ValueError',
            excModule: 'builtins',
            excArgs: ['bad', 1],
          });
          expect(bad.traceback).toBe('Traceback: boom');
          const custom = await svc.getTaskMeta(ids.custom);
          expect(custom.error).toMatchObject({
            excType: 'QuotaExceeded',
            excModule: '__main__', // the script's own class, run as __main__
            excArgs: ['over', 3],
          });
          const group = await svc.restoreGroup(ids.group);
          expect(group?.results.map((r) => r.id)).toEqual([ids.ok, ids.bad]);
        });

        it('writes results Celery reads with the right types and exception classes', async () => {
          const ok = randomUUID();
          const failed = randomUUID();
          const remote = randomUUID();
          const gid = randomUUID();
          await svc.markAsStarted(ok);
          await svc.markAsDone(ok, {
            n: 1,
            big: 2n ** 70n,
            list: [1.5, null, 'é'],
            when: new Date('2020-01-02T03:04:05.678Z'),
          });
          await svc.markAsFailure(failed, new RangeError('out of range'));
          await svc.markAsFailure(remote, {
            exc_type: 'KeyError',
            exc_message: ['k'],
            exc_module: 'builtins',
          });
          await svc.saveGroup(gid, [ok, failed]);
          const out = await py('read', { ids: [ok, failed, remote] });
          expect(out[0]).toMatchObject({
            state: 'SUCCESS',
            items: {
              n: { type: 'int', repr: '1' },
              big: { type: 'int', repr: '1180591620717411303424' },
              list: { type: 'list', repr: "[1.5, None, 'é']" },
              when: {
                type: 'datetime',
                repr: 'datetime.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)',
              },
            },
          });
          expect(out[1]).toMatchObject({
            state: 'FAILURE',
            exc: {
              type: 'ValueError',
              module: 'builtins',
              args: ["'out of range'"],
            },
          });
          expect(out[2]).toMatchObject({
            state: 'FAILURE',
            exc: { type: 'KeyError', module: 'builtins', args: ["'k'"] },
          });
          expect(await py('group-read', { group: gid })).toEqual([
            { group: gid, ids: [ok, failed] },
          ]);
        });
      },
      ['sqlalchemy', 'psycopg2'],
    );
  },
);
