/**
 * CouchDB store against a real pouchdb-server (in memory): the raw store contract, Celery's
 * vectors byte for byte, conflicting writers, forget, database creation, masking, cleanup and
 * the changes feed (including a reconnect after a server restart).
 */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { filter, firstValueFrom, take, timeout, toArray } from 'rxjs';
import { BackendUnavailableError } from '../libs/result-backend/src/errors/backend-unavailable.error.js';
import { decodeCouchDocument } from '../libs/result-backend/src/stores/couchdb/couchdb-document.codec.js';
import { createCouchDbStore } from '../libs/result-backend/src/stores/couchdb/couchdb.store.js';
import { MAX_CONFLICT_ATTEMPTS } from '../libs/result-backend/src/stores/couchdb/couchdb.retry.js';
import type {
  ResultStore,
  StoreEvent,
} from '../libs/result-backend/src/stores/result-store.interface.js';
import {
  couchConfig,
  couchRaw,
  POUCHDB_SERVER_BIN,
  startCouchServer,
  type CouchTestServer,
} from './support/couchdb-server.js';
import { testStoreContext } from './support/store-context.js';
import { getFreePort } from './support/server-process.js';
import { describeWithServer } from './support/skip-gate.js';
import { freshKey } from './support/store-contract.js';
import { celeryVectors, vectorFileText } from './support/celery-vectors.js';

const sha256 = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('hex');
interface StoredVector {
  key: string;
  file: string;
  raw_text?: string;
  payload_text: string | null;
  payload_sha256: string;
}
const manifest = celeryVectors<{
  vector: string;
  backend: string;
  stored: StoredVector[];
}>();
const couchStored = manifest.vectors
  .filter((v) => v.backend === 'couchdb')
  .flatMap((v) => v.stored.map((s) => ({ ...s, vector: v.vector })));

const meta = (
  status: string,
  id: string,
  dateDone: string | null = null,
  result: unknown = null,
): string =>
  `{"status": "${status}", "result": ${JSON.stringify(result)}, "traceback": null, "children": [], "date_done": ${
    dateDone === null ? 'null' : `"${dateDone}"`
  }, "task_id": "${id}"}`;

const nextEvent = (
  store: ResultStore,
  pred: (e: StoreEvent) => boolean,
  ms = 10_000,
): Promise<StoreEvent> =>
  firstValueFrom(store.push!.events.pipe(filter(pred), take(1), timeout(ms)));

describeWithServer(
  [POUCHDB_SERVER_BIN],
  'couchdb store (pouchdb-server)',
  () => {
    let srv: CouchTestServer;
    let store: ResultStore;
    let other: ResultStore;

    beforeAll(async () => {
      srv = await startCouchServer();
      store = await createCouchDbStore(
        couchConfig(srv, 'results'),
        testStoreContext(),
      );
      other = await createCouchDbStore(
        couchConfig(srv, 'results'),
        testStoreContext(),
      );
    });
    afterAll(async () => {
      await store?.close();
      await other?.close();
      await srv?.dispose();
    });

    describe('Celery 5.2.6 vectors', () => {
      it('covers every stored CouchDB vector', () => {
        expect(couchStored.length).toBeGreaterThan(100);
      });

      it.each(couchStored.map((s) => [s.vector, s] as const))(
        '%s: same value bytes',
        async (_name, s) => {
          const raw = s.raw_text ?? vectorFileText(s.file);
          const payload = decodeCouchDocument(s.key, raw);
          // payload_text is left out of the manifest for large documents: check its hash.
          expect(sha256(payload)).toBe(s.payload_sha256);
          if (s.payload_text !== null) expect(payload).toBe(s.payload_text);

          expect(await store.set(s.key, payload, null, false)).toBe('written');
          const res = await couchRaw(
            srv,
            'GET',
            `/results/${encodeURIComponent(s.key)}`,
          );
          expect(res.status).toBe(200);
          const doc = res.json as Record<string, unknown>;
          expect(Object.keys(doc).sort()).toEqual(
            Object.keys(JSON.parse(raw) as object).sort(),
          );
          expect(doc._id).toBe(s.key);
          expect(sha256(String(doc.value))).toBe(s.payload_sha256);
          expect(sha256((await store.get(s.key)) ?? '')).toBe(s.payload_sha256);
        },
      );
    });

    describe('conflicting writers', () => {
      it('30 guarded writers on two store instances: none fails, SUCCESS stays', async () => {
        const key = freshKey();
        const win = meta('SUCCESS', key, '2026-01-01T00:00:00', 'win');
        const outcomes = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            (i % 2 ? other : store).set(
              key,
              i === 11 ? win : meta('STARTED', key, null, i),
              null,
              true,
            ),
          ),
        );
        expect(
          outcomes.filter((o) => o === 'written').length,
        ).toBeGreaterThanOrEqual(1);
        expect(await store.get(key)).toBe(win);
        expect(await other.set(key, meta('FAILURE', key), null, true)).toBe(
          'kept-success',
        );
        expect(await store.get(key)).toBe(win);
      }, 30_000);

      // Each failed attempt after the first means another writer landed after our read, so up to
      // MAX_CONFLICT_ATTEMPTS - 1 racing writers always all land (more may run out, by design).
      it(`${MAX_CONFLICT_ATTEMPTS - 1} unguarded writers: every write lands in turn, the document holds one of them`, async () => {
        const key = freshKey();
        const values = Array.from(
          { length: MAX_CONFLICT_ATTEMPTS - 1 },
          (_, i) => meta('STARTED', key, null, i),
        );
        const outcomes = await Promise.all(
          values.map((v, i) =>
            (i % 2 ? other : store).set(key, v, null, false),
          ),
        );
        expect(outcomes).toEqual(values.map(() => 'written'));
        expect(values).toContain(await store.get(key));
      }, 30_000);

      it('keeps a SUCCESS written by someone else (a raw Celery-style PUT) between read and write', async () => {
        const key = freshKey();
        await store.set(key, meta('STARTED', key), null, true);
        const current = (await couchRaw(srv, 'GET', `/results/${key}`))
          .json as { _rev: string };
        const win = meta('SUCCESS', key, '2026-01-01T00:00:00', 1);
        expect(
          (
            await couchRaw(srv, 'PUT', `/results/${key}`, {
              _id: key,
              _rev: current._rev,
              value: win,
            })
          ).status,
        ).toBe(201);
        expect(await store.set(key, meta('RETRY', key), null, true)).toBe(
          'kept-success',
        );
        expect(await store.get(key)).toBe(win);
      }, 30_000);
    });

    describe('documents, forget and the database', () => {
      it('forget deletes the document with its revision; a missing one is fine', async () => {
        const key = freshKey();
        await store.set(
          key,
          meta('SUCCESS', key, '2026-01-01T00:00:00'),
          null,
          false,
        );
        await store.set(
          key,
          meta('SUCCESS', key, '2026-01-01T00:00:01'),
          null,
          false,
        ); // rev 2
        await store.delete(key);
        expect((await couchRaw(srv, 'GET', `/results/${key}`)).status).toBe(
          404,
        );
        await expect(store.delete(key)).resolves.toBeUndefined();
        expect(await store.mget([key])).toEqual([null]);
      });

      it('creates the database on first write; reading a missing database is PENDING', async () => {
        const s = await createCouchDbStore(
          couchConfig(srv, 'made-on-first-use'),
          testStoreContext(),
        );
        try {
          expect(await s.get('celery-task-meta-nothing')).toBeNull();
          expect(await s.mget(['celery-task-meta-nothing'])).toEqual([null]);
          await s.set(
            'celery-task-meta-first',
            meta('PENDING', 'first'),
            null,
            true,
          );
          expect(
            (await couchRaw(srv, 'GET', '/made-on-first-use')).status,
          ).toBe(200);
          expect(await s.get('celery-task-meta-first')).toBe(
            meta('PENDING', 'first'),
          );
        } finally {
          await s.close();
        }
      });

      it('encodes ids that need it (spaces, slashes, unicode)', async () => {
        const key = `celery-task-meta-a b/c_local-é-${Date.now()}`;
        await store.set(key, 'v', null, false);
        expect(await store.get(key)).toBe('v');
        const raw = await couchRaw(
          srv,
          'GET',
          `/results/${encodeURIComponent(key)}`,
        );
        expect((raw.json as { _id: string })._id).toBe(key);
      });

      it('reports a document that is not Celery’s as malformed, without touching it', async () => {
        const key = freshKey();
        await couchRaw(srv, 'PUT', `/results/${key}`, { _id: key, other: 1 });
        await expect(store.get(key)).rejects.toThrow(/no string "value"/);
        expect(
          (await couchRaw(srv, 'GET', `/results/${key}`)).json,
        ).toMatchObject({ other: 1 });
      });
    });

    describe('credentials', () => {
      it('masks the password in the description and in errors', async () => {
        const port = await getFreePort(); // nothing listens here
        const s = await createCouchDbStore(
          {
            kind: 'couchdb',
            protocol: 'http',
            host: '127.0.0.1',
            port,
            database: 'db',
            username: 'celery',
            password: 'Pa55-secret',
          },
          testStoreContext(),
        );
        try {
          expect(s.description).toBe(
            `couchdb://celery:***@127.0.0.1:${port}/db`,
          );
          const errors = await Promise.all([
            s.get('k').catch((e: unknown) => e),
            s.set('k', 'v', null, true).catch((e: unknown) => e),
            s.ping().catch((e: unknown) => e),
            s.delete('k').catch((e: unknown) => e),
          ]);
          for (const err of errors) {
            expect(err).toBeInstanceOf(BackendUnavailableError);
            expect(inspect(err, { depth: 10 })).not.toContain('Pa55-secret');
            expect((err as Error).message).toContain('celery:***@');
          }
        } finally {
          await s.close();
        }
      });

      it('never sends the password where the server could echo it in errors', async () => {
        const s = await createCouchDbStore(
          couchConfig(srv, 'results', {
            username: 'nobody',
            password: 'Pa55-secret',
          }),
          testStoreContext(),
        );
        try {
          const err = await s.set(freshKey(), 'v', null, false).then(
            () => null,
            (e: unknown) => e,
          );
          // pouchdb-server may accept or refuse unknown basic-auth users; either way no secret leaks.
          if (err)
            expect(inspect(err, { depth: 10 })).not.toContain('Pa55-secret');
          expect(s.description).not.toContain('Pa55-secret');
        } finally {
          await s.close();
        }
      });
    });

    describe('cleanup', () => {
      it('removes ready results done before the cutoff, keeps pending ones and group meta', async () => {
        const s = await createCouchDbStore(
          couchConfig(srv, 'cleanup'),
          testStoreContext(),
        );
        try {
          const old = '2020-01-01T00:00:00.000001';
          const recent = new Date().toISOString().replace('Z', '');
          await s.set(
            'celery-task-meta-old',
            meta('SUCCESS', 'old', old),
            null,
            false,
          );
          await s.set(
            'celery-task-meta-oldfail',
            meta('FAILURE', 'oldfail', old),
            null,
            false,
          );
          await s.set(
            'celery-task-meta-new',
            meta('SUCCESS', 'new', recent),
            null,
            false,
          );
          await s.set(
            'celery-task-meta-started',
            meta('STARTED', 'started'),
            null,
            false,
          );
          await s.set(
            'celery-taskset-meta-g',
            '{"result": [["a", null]]}',
            null,
            false,
          );
          await s.set(
            'celery-task-meta-nan',
            `{"status": "SUCCESS", "result": NaN, "date_done": "${old}"}`,
            null,
            false,
          );
          expect(await s.cleanup!(3600)).toBe(3);
          expect(
            await s.mget([
              'celery-task-meta-old',
              'celery-task-meta-oldfail',
              'celery-task-meta-nan',
              'celery-task-meta-new',
              'celery-task-meta-started',
              'celery-taskset-meta-g',
            ]),
          ).toEqual([
            null,
            null,
            null,
            expect.any(String),
            expect.any(String),
            expect.any(String),
          ]);
          expect(await s.cleanup!(0)).toBe(0);
        } finally {
          await s.close();
        }
      }, 30_000);
    });

    describe('changes feed', () => {
      it('delivers the new value, then null when deleted', async () => {
        const key = freshKey();
        await store.push!.add([key]);
        const written = nextEvent(
          store,
          (e) => e.type === 'change' && e.key === key && e.value !== undefined,
        );
        await other.set(key, meta('SUCCESS', key), null, false);
        expect(await written).toEqual({
          type: 'change',
          key,
          value: meta('SUCCESS', key),
        });
        const deleted = nextEvent(
          store,
          (e) => e.type === 'change' && e.key === key && e.value === null,
        );
        await other.delete(key);
        expect(await deleted).toEqual({ type: 'change', key, value: null });
        await store.push!.remove([key]);
      }, 30_000);

      it('follows the watched set: ids added later are seen, with many ids at once', async () => {
        const first = freshKey();
        const later = Array.from({ length: 50 }, () => freshKey());
        await store.push!.add([first]);
        await store.push!.add(later);
        const seen = firstValueFrom(
          store.push!.events.pipe(
            filter((e) => e.type === 'change' && later.includes(e.key)),
            take(later.length),
            toArray(),
            timeout(15_000),
          ),
        );
        await Promise.all(later.map((k) => other.set(k, k, null, false)));
        expect(
          new Set((await seen).map((e) => (e.type === 'change' ? e.key : ''))),
        ).toEqual(new Set(later));
        await store.push!.remove([first, ...later]);
      }, 30_000);
    });
  },
);

describeWithServer(
  [POUCHDB_SERVER_BIN],
  'couchdb store: server restart',
  () => {
    let srv: CouchTestServer;
    let store: ResultStore;
    const warnings: string[] = [];

    beforeAll(async () => {
      srv = await startCouchServer();
      store = await createCouchDbStore(
        couchConfig(srv, 'restart'),
        testStoreContext(warnings),
      );
    });
    afterAll(async () => {
      await store?.close();
      await srv?.dispose();
    });

    it('reconnects the feed after a restart, re-creates the database and delivers later changes', async () => {
      const key = freshKey();
      await store.push!.add([key]);
      await store.set(key, meta('STARTED', key), null, true);
      const degraded = nextEvent(store, (e) => e.type === 'degraded', 20_000);
      const recovered = nextEvent(
        store,
        (e) => e.type === 'recovered',
        20_000,
      ).then(
        () => true,
        () => false,
      );
      await srv.restart(); // in memory: the database is gone
      await degraded; // the engine polls meanwhile; the feed itself never polls
      // Until the feed has re-read its sequence, a write is covered by the engine's poll and
      // its re-read on `recovered`; once it has, the write itself comes through.
      let got: StoreEvent | undefined;
      for (let i = 0; i < 40 && !got; i++) {
        const value = meta('STARTED', key, null, i);
        const ev = nextEvent(
          store,
          (e) => e.type === 'change' && e.key === key && e.value === value,
          500,
        ).catch(() => undefined);
        expect(await store.set(key, value, null, true)).toBe('written');
        got = await ev;
      }
      expect(got).toBeDefined();
      expect(await recovered).toBe(true);
      expect(warnings.join('\n')).toMatch(
        /Result store couchdb:\/\/127\.0\.0\.1:\d+\/restart unavailable \(changes feed: /,
      );
    }, 30_000);

    it('close() is idempotent and later calls fail clearly', async () => {
      const s = await createCouchDbStore(
        couchConfig(srv, 'restart'),
        testStoreContext(),
      );
      try {
        await s.push!.add([freshKey()]);
      } finally {
        await s.close(); // a failed add must not leave the changes feed running
      }
      await s.close();
      await expect(s.get('k')).rejects.toThrow(/closed/);
    });
  },
);
