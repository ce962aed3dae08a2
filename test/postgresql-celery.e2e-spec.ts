/**
 * Live interop with each Celery's DatabaseBackend (Debian's SQLAlchemy 1.4 + psycopg2) on a
 * PostgreSQL started by the test, both ways: Celery creates its tables and writes STARTED →
 * PROGRESS → SUCCESS (typed values), failures and a group that the service watches and reads;
 * the service writes results, failures and a group that Celery's AsyncResult and
 * GroupResult.restore return with the right types and exception classes. One server serves
 * every version, each in a database of its own; each test's work runs for all versions at once.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
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
import {
  acrossVersions,
  describeWithCelery,
  runPython,
  versionTag,
} from './support/python.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  PG_BINARIES,
  startPostgresql,
  type PostgresqlTestServer,
} from './support/postgresql-server.js';

const SCRIPT = fileURLToPath(new URL('./python/pg_celery.py', import.meta.url));

describeWithServer(PG_BINARIES, 'PostgreSQL <-> Celery DatabaseBackend', () => {
  let server: PostgresqlTestServer;
  const services: ResultBackendService[] = [];
  /** The database of a Celery version: versions never see each other's results. */
  const dbOf = (version: string): string =>
    `celery_${versionTag('_', version)}`;
  const py = async (
    python: string,
    version: string,
    mode: string,
    args: unknown,
  ): Promise<Record<string, unknown>[]> => {
    const run = await runPython([SCRIPT, mode, JSON.stringify(args)], {
      python,
      env: { PG_URL: server.url(dbOf(version)) },
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
  });
  afterAll(async () => {
    await Promise.all(services.map((svc) => svc.close()));
    await server?.stop();
  });

  /** A version's database, with the tables Celery created, and a service reading it. */
  const setup = acrossVersions(async ({ version, python }) => {
    await server.createDatabase(dbOf(version));
    // Celery creates its own tables on first use; the service must read them as they are.
    await py(python, version, 'write', {
      ok: 'warmup',
      bad: 'warmup-bad',
      custom: 'warmup-c',
      group: 'warmup-g',
    });
    const svc = await createResultBackend({
      url: server.url(dbOf(version)),
      pollIntervalMs: 100,
    });
    services.push(svc);
    return svc;
  });

  /** Celery writes states, failures and a group while the service watches. */
  const celeryWrites = acrossVersions(async ({ version, python }) => {
    const svc = await setup(version);
    const ids = {
      ok: randomUUID(),
      bad: randomUUID(),
      custom: randomUUID(),
      group: randomUUID(),
    };
    const states = svc.watch(ids.ok, { timeout: 30_000 }).pipe(toArray());
    const seen = lastValueFrom(states);
    void seen.catch(() => undefined); // awaited below unless the script fails
    // 1.5 s between states: a poll (100 ms) must see each one even when CI starves the process.
    await py(python, version, 'write', { ...ids, pause: 1.5 });
    return {
      ids,
      seen: (await seen).map((m) => m.status),
      ok: await svc.getTaskMeta(ids.ok),
      bad: await svc.getTaskMeta(ids.bad),
      custom: await svc.getTaskMeta(ids.custom),
      group: await svc.restoreGroup(ids.group),
    };
  });

  /** The service writes results, failures and a group; Celery reads them. */
  const serviceWrites = acrossVersions(async ({ version, python }) => {
    const svc = await setup(version);
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
    const out = await py(python, version, 'read', {
      ids: [ok, failed, remote],
    });
    const group = await py(python, version, 'group-read', { group: gid });
    return { ok, failed, gid, out, group };
  });

  describeWithCelery(
    'live',
    () => {
      beforeAll(async () => {
        await setup();
      }, 90_000);

      it('watches Celery writing STARTED → PROGRESS → SUCCESS, failures and a group', async () => {
        const { ids, seen, ok, bad, custom, group } = await celeryWrites();
        expect(seen).toEqual(
          ['PENDING', 'STARTED', 'PROGRESS', 'SUCCESS'].filter((s) =>
            seen.includes(s),
          ),
        );
        expect(seen).toEqual(
          expect.arrayContaining(['STARTED', 'PROGRESS', 'SUCCESS']),
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
        expect(bad.error).toBeInstanceOf(TaskFailedError);
        expect(bad.error).toMatchObject({
          excType: 'ValueError',
          excModule: 'builtins',
          excArgs: ['bad', 1],
        });
        expect(bad.traceback).toBe('Traceback: boom');
        expect(custom.error).toMatchObject({
          excType: 'QuotaExceeded',
          excModule: '__main__', // the script's own class, run as __main__
          excArgs: ['over', 3],
        });
        expect(group?.results.map((r) => r.id)).toEqual([ids.ok, ids.bad]);
      }, 90_000);

      it('writes results Celery reads with the right types and exception classes', async () => {
        const { ok, failed, gid, out, group } = await serviceWrites();
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
        expect(group).toEqual([{ group: gid, ids: [ok, failed] }]);
      }, 90_000);
    },
    ['sqlalchemy', 'psycopg2'],
  );
});
