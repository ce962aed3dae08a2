/**
 * Live interop with each Celery's DatabaseBackend (Debian's SQLAlchemy 1.4 + psycopg2) on a
 * PostgreSQL started by the test, both ways: Celery creates its tables and writes STARTED →
 * PROGRESS → SUCCESS (typed values), failures and a group that the service watches and reads;
 * the service writes results, failures and a group that Celery's AsyncResult and
 * GroupResult.restore return with the right types and exception classes. One server serves
 * every version, each in a database of its own; each test's work runs for all versions at once.
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
import {
  acrossVersions,
  describeWithCelery,
  versionTag,
} from './support/python.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  PG_BINARIES,
  startPostgresql,
  type PostgresqlTestServer,
} from './support/postgresql-server.js';
import {
  runInteropScript,
  watchCeleryWrites,
  writeForCelery,
} from './support/pg-interop.js';

const SCRIPT = fileURLToPath(new URL('./python/pg_celery.py', import.meta.url));

describeWithServer(PG_BINARIES, 'PostgreSQL <-> Celery DatabaseBackend', () => {
  let server: PostgresqlTestServer;
  const services: ResultBackendService[] = [];
  /** The database of a Celery version: versions never see each other's results. */
  const dbOf = (version: string): string =>
    `celery_${versionTag('_', version)}`;
  const py = (
    python: string,
    version: string,
    mode: string,
    args: unknown,
  ): Promise<Record<string, unknown>[]> =>
    runInteropScript(SCRIPT, mode, args, {
      python,
      env: { PG_URL: server.url(dbOf(version)) },
    });

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
  const celeryWrites = acrossVersions(async ({ version, python }) =>
    watchCeleryWrites(await setup(version), (ids) =>
      py(python, version, 'write', ids),
    ),
  );

  /** The service writes results, failures and a group; Celery reads them. */
  const serviceWrites = acrossVersions(async ({ version, python }) => {
    let group: Record<string, unknown>[] = [];
    const written = await writeForCelery(await setup(version), async (w) => {
      const out = await py(python, version, 'read', {
        ids: [w.ok, w.failed, w.remote],
      });
      group = await py(python, version, 'group-read', { group: w.group });
      return out;
    });
    return { ...written, group };
  });

  describeWithCelery(
    'live',
    () => {
      beforeAll(async () => {
        await setup();
      }, 90_000);

      it('watches Celery writing STARTED → PROGRESS → SUCCESS, failures and a group', async () => {
        // States in order, both failures typed, the group: checked by watchCeleryWrites.
        const { ok, bad } = await celeryWrites();
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
      }, 90_000);

      it('writes results Celery reads with the right types and exception classes', async () => {
        // Ints, the list and both exception classes: checked by writeForCelery.
        const { ids, out, group } = await serviceWrites();
        expect(out[0]).toMatchObject({
          items: {
            when: {
              type: 'datetime',
              repr: 'datetime.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)',
            },
          },
        });
        expect(group).toEqual([
          { group: ids.group, ids: [ids.ok, ids.failed] },
        ]);
      }, 90_000);
    },
    ['sqlalchemy', 'psycopg2'],
  );
});
