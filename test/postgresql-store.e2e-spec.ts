/**
 * The PostgreSQL store (Celery's DatabaseBackend tables) against a real PostgreSQL started by
 * the test: the raw store contract, the service contract, the column layout, "SUCCESS is
 * final" as one statement, cleanup, missing tables, bad pickles and LISTEN/NOTIFY push.
 */
import { Logger } from '@nestjs/common';
import type { StoreContext } from '../libs/result-backend/src/stores/store-context.interface.js';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import { createPostgresqlStore } from '../libs/result-backend/src/stores/postgresql/postgresql.store.js';
import { parseBackendUrl } from '../libs/result-backend/src/stores/backend-url.parser.js';
import { ImproperlyConfiguredError } from '../libs/result-backend/src/errors/improperly-configured.error.js';
import { MalformedResultError } from '../libs/result-backend/src/errors/malformed-result.error.js';
import { BackendUnavailableError } from '../libs/result-backend/src/errors/backend-unavailable.error.js';
import { randomUUID } from 'node:crypto';
import { createResultBackend } from '../libs/result-backend/src/index.js';
import { installPostgresqlNotifyTrigger } from '../libs/result-backend/src/configuration.js';
import {
  decodeTaskMeta,
  dumpsPickle,
  loadsPickle,
  PyDecimal,
} from '../libs/result-backend/src/protocol/index.js';
import { describeWithServer } from './support/skip-gate.js';
import { freshKey, runStoreContract } from './support/store-contract.js';
import {
  PG_BINARIES,
  startPostgresql,
  type PostgresqlTestServer,
} from './support/postgresql-server.js';

const ctx: StoreContext = {
  logger: new Logger('postgresql-test'),
  pollIntervalMs: 100,
};

describeWithServer(PG_BINARIES, 'PostgreSQL store', () => {
  let server: PostgresqlTestServer;
  let store: ResultStore;
  let pushStore: ResultStore;
  let pool: ReturnType<PostgresqlTestServer['pool']>;

  const open = (url: string, settings = {}): Promise<ResultStore> =>
    createPostgresqlStore(
      parseBackendUrl(url, { postgresql: settings }) as Parameters<
        typeof createPostgresqlStore
      >[0],
      ctx,
    );

  /** The error `opening` rejects with; a store it opened by mistake is closed, not leaked. */
  const refusal = (opening: Promise<ResultStore>): Promise<unknown> =>
    opening.then(
      async (s) => {
        await s.close();
        return s;
      },
      (e: unknown) => e,
    );

  beforeAll(async () => {
    server = await startPostgresql();
    await server.createDatabase('results');
    await server.createDatabase('pushdb');
    store = await open(server.url('results'), { createTables: true });
    pool = server.pool('results');
    const setup = await open(server.url('pushdb'), { createTables: true });
    await setup.close();
    const pushPool = server.pool('pushdb');
    try {
      await installPostgresqlNotifyTrigger(pushPool);
    } finally {
      await pushPool.end();
    }
    pushStore = await open(server.url('pushdb'));
  });

  afterAll(async () => {
    await store?.close();
    await pushStore?.close();
    await pool?.end();
    await server?.stop();
  });

  describe('LISTEN/NOTIFY push (trigger installed)', () => {
    runStoreContract(() => pushStore, { push: true, rows: true });
  });

  it('stores Celery columns: pickled result, naive UTC date_done, status, traceback', async () => {
    const key = freshKey();
    const id = key.slice('celery-task-meta-'.length);
    const doc = `{"status": "SUCCESS", "result": {"total": {"__type__": "decimal", "__value__": "1.10"}, "n": 12345678901234567890}, "traceback": null, "children": [], "date_done": "2026-11-30T15:55:44.123456", "task_id": "${id}"}`;
    await store.set(key, doc, null, true);
    const row = (
      await pool.query<{
        status: string;
        result: Buffer;
        date_done: string;
        traceback: null;
      }>(
        'SELECT status, result, date_done::text AS date_done, traceback FROM celery_taskmeta WHERE task_id = $1',
        [id],
      )
    ).rows[0];
    expect(row.status).toBe('SUCCESS');
    expect(row.date_done).toBe('2026-11-30 15:55:44.123456');
    expect(loadsPickle(row.result)).toEqual({
      total: new PyDecimal('1.10'),
      n: 12345678901234567890n,
    });
    const meta = decodeTaskMeta(id, await store.get(key));
    expect(meta.result).toEqual({
      total: new PyDecimal('1.10'),
      n: 12345678901234567890n,
    });
    expect(meta.dateDoneRaw).toBe('2026-11-30T15:55:44.123456');
  });

  it("uses a user's pool, one query per mget of any size, and never ends it", async () => {
    const counted = { queries: 0 };
    const userPool = server.pool('results');
    const spy = {
      query: (text: string, values?: readonly unknown[]) => {
        counted.queries++;
        return userPool.query(text, values as unknown[]);
      },
      connect: () => userPool.connect(),
    };
    try {
      const own = await open(server.url('results'), { pool: spy });
      try {
        const keys = Array.from({ length: 10_000 }, () => freshKey());
        await own.set(
          keys[5000],
          `{"status": "SUCCESS", "result": 7, "task_id": "x"}`,
          null,
          true,
        );
        counted.queries = 0;
        const got = await own.mget(keys);
        expect(counted.queries).toBe(1);
        expect(got.filter((g) => g !== null)).toHaveLength(1);
        expect(decodeTaskMeta('x', got[5000]).result).toBe(7);
      } finally {
        await own.close();
      }
      expect((await userPool.query('SELECT 1 AS one')).rows).toEqual([
        { one: 1 },
      ]);
    } finally {
      await userPool.end(); // also when an expectation failed: its sockets keep Jest alive
    }
  });

  it('cleanup deletes rows whose date_done is older than expires', async () => {
    const old = freshKey();
    const fresh = freshKey();
    const doc = (id: string, date: string): string =>
      `{"status": "SUCCESS", "result": 1, "traceback": null, "children": [], "date_done": "${date}", "task_id": "${id}"}`;
    await store.set(old, doc(old, '2000-01-01T00:00:00'), null, true);
    await store.set(
      fresh,
      doc(fresh, new Date().toISOString().slice(0, -1)),
      null,
      true,
    );
    expect(await store.cleanup!(3600)).toBeGreaterThanOrEqual(1);
    expect(await store.get(old)).toBeNull();
    expect(await store.get(fresh)).not.toBeNull();
  });

  it('reads a corrupt or hostile result column as MalformedResultError', async () => {
    const key = freshKey();
    const id = key.slice('celery-task-meta-'.length);
    await pool.query(
      "INSERT INTO celery_taskmeta (id, task_id, status, result) VALUES (nextval('task_id_sequence'), $1, 'SUCCESS', $2)",
      [id, Buffer.from("cos\nsystem\n(S'id'\ntR.", 'latin1')],
    );
    await expect(store.get(key)).rejects.toThrow(MalformedResultError);
    await pool.query(
      'UPDATE celery_taskmeta SET result = $2 WHERE task_id = $1',
      [id, Buffer.from('not a pickle')],
    );
    await expect(store.get(key)).rejects.toThrow(MalformedResultError);
    await pool.query(
      'UPDATE celery_taskmeta SET result = $2 WHERE task_id = $1',
      [id, Buffer.from(dumpsPickle([1]))],
    );
    expect(decodeTaskMeta(id, await store.get(key)).result).toEqual([1]);
  });

  it('names a missing table and how to create it; a bad URL and a dead server are typed', async () => {
    await server.createDatabase('empty');
    const err = await refusal(open(server.url('empty')));
    expect(err).toBeInstanceOf(ImproperlyConfiguredError);
    expect(String(err)).toMatch(
      /"celery_taskmeta" does not exist.*createTables: true/,
    );
    expect(() => parseBackendUrl('db+postgresql://u:s3cret@h/')).toThrow(
      ImproperlyConfiguredError,
    );
    expect(() => parseBackendUrl('db+postgresql://u:s3cret@h/')).not.toThrow(
      /s3cret/,
    );
    const dead = await refusal(
      open('db+postgresql://postgres:pw@127.0.0.1:1/x?connect_timeout=2'),
    );
    expect(dead).toBeInstanceOf(BackendUnavailableError);
    expect(String(dead)).not.toMatch(/:pw@/);
  });
});

describeWithServer(PG_BINARIES, 'PostgreSQL outage during a watch', () => {
  let server: PostgresqlTestServer;
  beforeAll(async () => {
    server = await startPostgresql();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('delivers a result stored while the service could not reach the server', async () => {
    const svc = await createResultBackend({
      url: server.url(),
      pollIntervalMs: 100,
      postgresql: { createTables: true },
    });
    const writer = await createResultBackend({ url: server.url() });
    try {
      const t = randomUUID();
      const done = svc.waitFor<number>(t, { timeout: 30_000 });
      await new Promise((r) => setTimeout(r, 300));
      await server.kill();
      await new Promise((r) => setTimeout(r, 500)); // polls fail meanwhile
      await server.restart();
      await writer.markAsDone(t, 42);
      await expect(done).resolves.toBe(42);
    } finally {
      await svc.close();
      await writer.close();
    }
  });
});
