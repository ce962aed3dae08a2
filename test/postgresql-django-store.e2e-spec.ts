/**
 * The PostgreSQL store on django-celery-results' tables (`django-db`), created by the app's
 * real Django migrations in one database shared by the file: the raw store contract (polling
 * and LISTEN/NOTIFY), the service contract, the columns as Django defines them, pickle-encoded
 * rows, configuration, and ids longer than the id columns (both layouts).
 */
import { randomUUID } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import { createPostgresqlStore } from '../libs/result-backend/src/stores/postgresql/postgresql.store.js';
import { parseBackendUrl } from '../libs/result-backend/src/stores/backend-url.parser.js';
import {
  ImproperlyConfiguredError,
  InvalidTaskIdError,
  MalformedResultError,
  createResultBackend,
} from '../libs/result-backend/src/index.js';
import { installPostgresqlNotifyTrigger } from '../libs/result-backend/src/configuration.js';
import {
  decodeTaskMeta,
  dumpsPickle,
  PyDecimal,
} from '../libs/result-backend/src/protocol/index.js';
import { describeWithServer } from './support/skip-gate.js';
import { testStoreContext } from './support/store-context.js';
import { freshKey, runStoreContract } from './support/store-contract.js';
import { runServiceContract } from './support/service-contract.js';
import {
  PG_BINARIES,
  startPostgresql,
  type PostgresqlTestServer,
} from './support/postgresql-server.js';
import {
  createDjangoDatabase,
  DJANGO_RESULTS_MATRIX,
  describeWithDjangoResults,
  djangoDatabase,
} from './support/django-db.js';

const ctx = testStoreContext();
const TASKS = 'django_celery_results_taskresult';

describeWithServer(PG_BINARIES, 'PostgreSQL django-celery-results', () => {
  let server: PostgresqlTestServer;
  beforeAll(async () => {
    server = await startPostgresql();
  });
  afterAll(async () => {
    await server?.stop();
  });

  describeWithDjangoResults('store on migrated tables', (runtime) => {
    const db = djangoDatabase(runtime);
    let store: ResultStore;
    let pushStore: ResultStore;
    let pool: ReturnType<PostgresqlTestServer['pool']>;
    const url = (name = db): string =>
      server.url(name).replace('db+postgresql', 'django-db+postgresql');
    const open = (u: string, settings = {}): Promise<ResultStore> =>
      createPostgresqlStore(
        parseBackendUrl(u, { postgresql: settings }) as Parameters<
          typeof createPostgresqlStore
        >[0],
        ctx,
      );

    beforeAll(async () => {
      await createDjangoDatabase(server, db);
      pool = server.pool(db);
      store = await open(url());
      await installPostgresqlNotifyTrigger(pool, { taskTable: TASKS });
      pushStore = await open(url());
    });

    afterAll(async () => {
      await store?.close();
      await pushStore?.close();
      await pool?.end();
    });

    describe('polling', () => {
      runStoreContract(() => store, {
        push: false,
        rows: true,
        autoDateDone: true,
      });
    });

    describe('LISTEN/NOTIFY push (trigger installed)', () => {
      runStoreContract(() => pushStore, {
        push: true,
        rows: true,
        autoDateDone: true,
      });
    });

    describe('service', () => {
      runServiceContract(() => ({ url: url() }), {
        pollIntervalMs: 100,
        rows: true,
        django: true,
      });
    });

    it('writes the columns as django-celery-results does: JSON text, meta, aware dates', async () => {
      const key = freshKey();
      const id = key.slice('celery-task-meta-'.length);
      const doc = `{"status": "SUCCESS", "result": {"total": {"__type__": "decimal", "__value__": "1.10"}, "n": 12345678901234567890}, "traceback": null, "children": [[["c1", null], null]], "date_done": "2026-11-30T15:55:44.123456", "name": "tasks.add", "args": [2, 3], "kwargs": {"x": 1}, "worker": "w@h", "task_id": "${id}"}`;
      await store.set(key, doc, null, true);
      const row = (
        await pool.query<Record<string, string>>(
          `SELECT status, content_type, content_encoding, result, meta, task_name, task_args, task_kwargs, worker,
              periodic_task_name, (date_done AT TIME ZONE 'UTC')::text AS done, date_created <= now() AS created
           FROM ${TASKS} WHERE task_id = $1`,
          [id],
        )
      ).rows[0];
      expect(row).toEqual({
        status: 'SUCCESS',
        content_type: 'application/json',
        content_encoding: 'utf-8',
        result:
          '{"total": {"__type__": "decimal", "__value__": "1.10"}, "n": 12345678901234567890}',
        meta: '{"children": [[["c1", null], null]]}',
        task_name: 'tasks.add',
        task_args: '[2, 3]',
        task_kwargs: '{"x": 1}',
        worker: 'w@h',
        periodic_task_name: null,
        done: '2026-11-30 15:55:44.123456',
        created: true,
      });
      const meta = decodeTaskMeta(id, await store.get(key));
      expect(meta.result).toEqual({
        total: new PyDecimal('1.10'),
        n: 12345678901234567890n,
      });
      expect(meta.dateDoneRaw).toBe('2026-11-30T15:55:44.123456+00:00');
      expect(meta.children).toEqual([{ id: 'c1', parent: null }]);
      expect(meta.args).toEqual([2, 3]);
    });

    it('sets date_started on STARTED and keeps it on SUCCESS where the table has it (2.6.0)', async () => {
      const id = randomUUID();
      const key = `celery-task-meta-${id}`;
      const doc = (status: string): string =>
        `{"status": "${status}", "result": null, "traceback": null, "children": [], "date_done": null, "task_id": "${id}"}`;
      const started = async (): Promise<unknown> =>
        (
          await pool.query<{ s: unknown }>(
            `SELECT to_jsonb(t) -> 'date_started' AS s FROM ${TASKS} t WHERE task_id = $1`,
            [id],
          )
        ).rows[0].s;
      await store.set(key, doc('STARTED'), null, true);
      const first = await started();
      await store.set(key, doc('SUCCESS'), null, true);
      if (runtime.results === '2.6.0') {
        expect(first).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
        expect(await started()).toEqual(first);
      } else {
        expect(first).toBeNull(); // no such column: to_jsonb has no key
        expect(await started()).toBeNull();
      }
    });

    // The checks below do not depend on the version: once, on the first of the matrix.
    if (runtime !== DJANGO_RESULTS_MATRIX[0]) return;

    it('reads pickle-serializer rows (binary) without executing them, and refuses unknown serializers', async () => {
      const id = randomUUID();
      const key = `celery-task-meta-${id}`;
      const b64 = (v: unknown): string =>
        Buffer.from(dumpsPickle(v)).toString('base64');
      await pool.query(
        `INSERT INTO ${TASKS} (task_id, status, content_type, content_encoding, result, meta, date_created, date_done)
         VALUES ($1, 'SUCCESS', 'application/x-python-serialize', 'binary', $2, $3, now(), now())`,
        [id, b64([1, 'a']), b64({ children: [] })],
      );
      expect(decodeTaskMeta(id, await store.get(key)).result).toEqual([1, 'a']);
      const hostile = Buffer.from("cos\nsystem\n(S'id'\ntR.", 'latin1');
      await pool.query(`UPDATE ${TASKS} SET result = $2 WHERE task_id = $1`, [
        id,
        hostile.toString('base64'),
      ]);
      await expect(store.get(key)).rejects.toThrow(MalformedResultError);
      await pool.query(
        `UPDATE ${TASKS} SET content_type = 'application/x-yaml', content_encoding = 'utf-8', result = '1' WHERE task_id = $1`,
        [id],
      );
      await expect(store.get(key)).rejects.toThrow(/unsupported content type/);
      await pool.query(
        `UPDATE ${TASKS} SET content_type = 'application/json', result = '1, "status": "FAILURE"' WHERE task_id = $1`,
        [id],
      );
      await expect(store.get(key)).rejects.toThrow(MalformedResultError);
    });

    it('refuses ids longer than the id columns before any I/O (Celery 155; django: the migrated length)', async () => {
      await server.createDatabase('celerydb');
      const celery = await createResultBackend({
        url: server.url('celerydb'),
        postgresql: { createTables: true },
      });
      try {
        await celery.markAsDone('c'.repeat(155), 2);
        expect(await celery.getResult('c'.repeat(155))).toBe(2);
        await expect(celery.getTaskMeta('c'.repeat(156))).rejects.toThrow(
          /longer than the 155 characters of "celery_taskmeta".task_id/,
        );
        await expect(celery.restoreGroup('g'.repeat(156))).rejects.toThrow(
          /155 characters of "celery_tasksetmeta".taskset_id/,
        );
        await expect(
          firstValueFrom(celery.watch('w'.repeat(156), { timeout: 60_000 })),
        ).rejects.toBeInstanceOf(InvalidTaskIdError);
      } finally {
        await celery.close();
      }
      // DJANGO_CELERY_RESULTS_TASK_ID_MAX_LENGTH = 191 (a common MySQL-era setting): the
      // store reads the length from the columns the migrations made.
      const alter = (n: number): Promise<unknown> =>
        pool.query(
          `ALTER TABLE ${TASKS} ALTER COLUMN task_id TYPE varchar(${n}); ALTER TABLE django_celery_results_groupresult ALTER COLUMN group_id TYPE varchar(${n})`,
        );
      await alter(191);
      const django = await createResultBackend({ url: url() });
      try {
        const ok = 'd'.repeat(191);
        await django.markAsDone(ok, 1);
        expect(await django.getResult(ok)).toBe(1);
        await django.forget(ok);
        await expect(django.markAsDone('d'.repeat(192), 1)).rejects.toThrow(
          /longer than the 191 characters of "django_celery_results_taskresult".task_id/,
        );
        await expect(
          django.saveGroup('g'.repeat(192), ['a']),
        ).rejects.toBeInstanceOf(InvalidTaskIdError);
      } finally {
        await django.close();
        await alter(255);
      }
    });

    it('is chosen by django-db + postgresql.databaseUrl; configuration errors are typed', async () => {
      const svc = await createResultBackend({
        url: 'django-db',
        postgresql: {
          databaseUrl: server.sqlalchemyUrl(db),
        },
      });
      try {
        const t = randomUUID();
        await svc.markAsDone(t, 'via bare name');
        const row = await pool.query(
          `SELECT result FROM ${TASKS} WHERE task_id = $1`,
          [t],
        );
        expect(row.rows).toEqual([{ result: '"via bare name"' }]);
      } finally {
        await svc.close();
      }
      expect(() => parseBackendUrl('django-db')).toThrow(
        /postgresql\.databaseUrl.*no PostgreSQL database URL/,
      );
      expect(() =>
        parseBackendUrl('django-db', {
          postgresql: { databaseUrl: 'mysql://u:secret@h/db' },
        }),
      ).toThrow(ImproperlyConfiguredError);
      expect(() =>
        parseBackendUrl(url(), { postgresql: { createTables: true } }),
      ).toThrow(/migrate django_celery_results/);
      await server.createDatabase('nodjango');
      const err = await open(url('nodjango')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImproperlyConfiguredError);
      expect(String(err)).toMatch(
        /"django_celery_results_taskresult" does not exist.*manage.py migrate django_celery_results/,
      );
    });
  });
});
