/**
 * Live interop with django-celery-results' DatabaseBackend (`result_backend = 'django-db'`) on
 * a PostgreSQL started by the test, for each version of the django-celery-results matrix (2.4.0,
 * 2.5.1, 2.6.0, each with its Debian suite's Celery and Django, in its own database migrated by
 * its real Django migrations): Celery writes
 * STARTED → PROGRESS → SUCCESS (typed values, result_extended request columns), failures and a
 * group that the service watches and reads exactly; the service writes results, failures and
 * a group that Celery's AsyncResult and GroupResult.restore return with the right types.
 */
import { randomUUID } from 'node:crypto';
import {
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  PyDecimal,
  PyUuid,
  toPlain,
} from '../libs/result-backend/src/codec.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  PG_BINARIES,
  startPostgresql,
  type PostgresqlTestServer,
} from './support/postgresql-server.js';
import {
  createDjangoDatabase,
  describeWithDjangoResults,
  djangoDatabase,
  djangoEnv,
  runDjango,
} from './support/django-db.js';
import { watchCeleryWrites, writeForCelery } from './support/pg-interop.js';

describeWithServer(PG_BINARIES, 'PostgreSQL <-> django-celery-results', () => {
  let server: PostgresqlTestServer;
  beforeAll(async () => {
    server = await startPostgresql();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeWithDjangoResults('django-db', (runtime) => {
    const db = djangoDatabase(runtime);
    let svc: ResultBackendService;
    const py = (mode: string, args: unknown) =>
      runDjango(djangoEnv(server, db, true), mode, args);
    /** kombu ≥ 5.3 keeps typed values; Celery 5.2.6's kombu writes them as strings. */
    const tagged = (): boolean => runtime.celery !== '5.2.6';

    beforeAll(async () => {
      // Each version's own migrations (2.6.0 adds date_started; Django ≥ 4.1 makes ids identity columns).
      await createDjangoDatabase(server, db);
      svc = await createResultBackend({
        url: server.url(db).replace('db+', 'django-db+'),
        pollIntervalMs: 100,
        celeryVersion: tagged() ? '5.6' : '5.2',
      });
    });
    afterAll(async () => {
      await svc?.close();
    });

    it('watches Celery writing STARTED → PROGRESS → SUCCESS, failures and a group', async () => {
      const { ok, bad, custom } = await watchCeleryWrites(svc, (ids) =>
        py('write', ids),
      );
      if (tagged())
        expect(ok.result).toEqual(
          expect.objectContaining({
            price: expect.any(PyDecimal),
            id: expect.any(PyUuid),
          }),
        );
      expect(toPlain(ok.result)).toEqual({
        aware: tagged() ? '2020-01-02T03:04:05+00:00' : '2020-01-02T03:04:05Z', // kombu 5.2's isoformat of an aware UTC datetime
        price: '1.10',
        id: '12345678-1234-5678-1234-567812345678',
        big: 2n ** 70n,
        tuple: [1, 'a'],
        text: 'é\u2603',
      });
      expect(ok.dateDone).toBeInstanceOf(Date);
      expect(ok.dateDoneRaw).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+\+00:00$/);
      expect(ok).toMatchObject({
        name: 'tasks.add',
        worker: 'w1@host',
        children: [],
      });
      expect(JSON.parse(ok.raw!)).toMatchObject({
        args: '(2, 3)', // Celery stores argsrepr, a string
        kwargs: "{'x': 1}",
        periodic_task_name: 'nightly',
      });
      // django-celery-results drops the traceback of a write without a request.
      expect(bad.traceback).toBeNull();
      expect(custom.traceback).toBe('Traceback: quota');
    });

    it('writes results Celery reads with the right types and exception classes', async () => {
      const { ids, out } = await writeForCelery(
        svc,
        (w) =>
          py('read', {
            ids: [w.ok, w.failed, w.remote],
            group: w.group,
            rows: [w.ok],
          }),
        {
          request: {
            name: 'tasks.mul',
            args: [2, 3],
            kwargs: { y: 1 },
            worker: 'node@h',
          },
        },
      );
      expect(out[0]).toMatchObject({
        items: {
          when: tagged()
            ? {
                type: 'datetime',
                repr: 'datetime.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=datetime.timezone.utc)',
              }
            : expect.objectContaining({ type: 'str' }),
        },
        children: 'None', // Celery's store_result outside a worker stores no children
        task_name: "'tasks.mul'",
        args: '[2, 3]',
        kwargs: "{'y': 1}",
        worker: "'node@h'",
        periodic_task_name: 'None',
      });
      expect(out[0].date_done).toMatch(/\+00:00$/);
      expect(out[3]).toEqual({ group: ids.group, ids: [ids.ok, ids.failed] });
      expect(out[4]).toMatchObject({
        content_type: 'application/json',
        content_encoding: 'utf-8',
        tz: 'UTC',
      });
      // 2.6.0's date_started: set by the STARTED write, kept by the SUCCESS one.
      if (runtime.results === '2.6.0')
        expect(out[4].date_started).toMatch(/^\d{4}-\d\d-\d\dT.*\+00:00$/);
      else expect(out[4].date_started).toBe('absent');
    });

    it("shares django-celery-results' chord counters with Celery, both ways", async () => {
      const ours = { group: randomUUID(), ids: [randomUUID(), randomUUID()] };
      const theirs = {
        group: randomUUID(),
        ids: [randomUUID(), randomUUID()],
      };
      await svc.applyChord(ours.group, ours.ids);
      for (const [i, t] of ours.ids.entries()) await svc.markAsDone(t, i);
      const steps = await py('chord', { parts: ours, apply: theirs });
      expect(steps.map((r) => r.count)).toEqual([2, 1, null, 2]);
      expect(steps[0].sub_tasks).toBe(
        `[[["${ours.ids[0]}", null], null], [["${ours.ids[1]}", null], null]]`,
      );
      const outcomes = [];
      for (const [i, t] of theirs.ids.entries()) {
        await svc.markAsDone(t, i * 10, { groupId: theirs.group });
        outcomes.push(
          await svc.onChordPartReturn(theirs.group, t, 'SUCCESS', i * 10, {
            index: i,
          }),
        );
      }
      expect(outcomes.map((o) => o.complete)).toEqual([false, true]);
      expect(outcomes[1].results).toEqual([0, 10]);
      const pool = server.pool(db);
      try {
        const left = await pool.query(
          'SELECT count(*)::int AS n FROM django_celery_results_chordcounter WHERE group_id = $1',
          [theirs.group],
        );
        expect(left.rows).toEqual([{ n: 0 }]);
      } finally {
        await pool.end();
      }
    });
  });
});
