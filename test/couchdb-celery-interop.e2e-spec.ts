/**
 * Live interop with Debian's Celery 5.2.6 CouchBackend on the same pouchdb-server, both ways.
 * pycouchdb is not in Debian: test/python/couch_celery_interop.py uses it when importable and
 * otherwise a minimal stand-in for the four calls Celery's backend makes (it reports which).
 */
import { fileURLToPath } from 'node:url';
import { createCouchDbStore } from '../libs/result-backend/src/stores/couchdb/couchdb.store.js';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import {
  couchConfig,
  couchRaw,
  POUCHDB_SERVER_BIN,
  startCouchServer,
  type CouchTestServer,
} from './support/couchdb-server.js';
import { testStoreContext } from './support/store-context.js';
import {
  CELERY_VERSION,
  describeWithCelery,
  runPython,
} from './support/python.js';
import { describeWithServer } from './support/skip-gate.js';
import { celeryVectors, vectorFileText } from './support/celery-vectors.js';

const SCRIPT = fileURLToPath(
  new URL('./python/couch_celery_interop.py', import.meta.url),
);

interface ExpectedTask {
  kind: string;
  id: string;
  state: string;
  result?: unknown;
  exception?: { type: string; str: string };
}
interface Vector {
  backend: string;
  phase: string;
  stored: { key: string; file: string }[];
  expected: ExpectedTask[];
}
/** The final CouchDB vectors of the Celery version under test. */
const finalVectors = (): Vector[] =>
  celeryVectors<Vector>(CELERY_VERSION).vectors.filter(
    (v) =>
      v.backend === 'couchdb' && v.phase === 'final' && v.stored.length > 0,
  );

interface CeleryRun {
  pycouchdb: 'real' | 'stand-in';
  read: { id: string; state?: string; result?: unknown; error?: string }[];
  raw: Record<string, string | null>;
}

/** Drop the parts of the vectors' JSON form that the script does not report. */
const comparable = (v: unknown): unknown =>
  JSON.parse(JSON.stringify(v), (k, x: unknown) =>
    k === 'head' ? undefined : x,
  ) as unknown;

describeWithCelery('couchdb store <-> Celery (pouchdb-server)', () =>
  describeWithServer([POUCHDB_SERVER_BIN], 'pouchdb-server', () => {
    let srv: CouchTestServer;
    let store: ResultStore;
    const url = (db: string): string => `couchdb://127.0.0.1:${srv.port}/${db}`;
    const celery = async (req: object): Promise<CeleryRun> => {
      const run = await runPython([SCRIPT], {
        input: JSON.stringify(req),
        timeoutMs: 60_000,
      });
      if (run.code !== 0)
        throw new Error(
          `python exited ${run.code}: ${run.stderr.slice(-2000)}`,
        );
      return JSON.parse(run.stdout.trim().split('\n').pop()!) as CeleryRun;
    };

    beforeAll(async () => {
      srv = await startCouchServer();
      store = await createCouchDbStore(
        couchConfig(srv, 'interop'),
        testStoreContext(),
      );
    });
    afterAll(async () => {
      await store?.close();
      await srv?.dispose();
    });

    it('reads what Celery wrote (Celery creates the database), byte for byte', async () => {
      const ids = ['c-done', 'c-fail', 'c-started', 'c-revoked'].map(
        (n) => `${n}-${process.pid}`,
      );
      const keys = ids.map((id) => `celery-task-meta-${id}`);
      const out = await celery({
        url: url('celery-made'),
        write: [
          {
            id: ids[0],
            kind: 'done',
            result: { 'caf\u00e9 \ud83c\udf89': [1, 2.5, null] },
          },
          { id: ids[1], kind: 'failure', exc: 'bad' },
          { id: ids[2], kind: 'started' },
          { id: ids[3], kind: 'revoked' },
        ],
        raw: keys,
      });
      const s = await createCouchDbStore(
        couchConfig(srv, 'celery-made'),
        testStoreContext(),
      );
      try {
        expect(await s.mget(keys)).toEqual(keys.map((k) => out.raw[k]));
        for (const k of keys) expect(await s.get(k)).toBe(out.raw[k]);
        expect(out.raw[keys[0]]).toMatch(
          /^\{"status": "SUCCESS", "result": \{"caf\\u00e9 \\ud83c\\udf89": \[1, 2\.5, null\]\}/,
        );
        expect(out.raw[keys[1]]).toMatch(
          /^\{"status": "FAILURE", "result": \{"exc_type": "ValueError"/,
        );
      } finally {
        await s.close();
      }
    }, 60_000);

    it("Celery reads what the store wrote (its version's final vectors): same state and result", async () => {
      const vectors = finalVectors();
      expect(vectors.length).toBeGreaterThan(40);
      const tasks: ExpectedTask[] = [];
      for (const v of vectors) {
        for (const st of v.stored) {
          const payload = (
            JSON.parse(vectorFileText(st.file, CELERY_VERSION)) as {
              value: string;
            }
          ).value;
          await store.set(st.key, payload, null, false);
        }
        tasks.push(...v.expected.filter((e) => e.kind === 'task'));
      }
      const out = await celery({
        url: url('interop'),
        read: [...new Set(tasks.map((t) => t.id))],
      });
      const seen = new Map(out.read.map((r) => [r.id, r]));
      for (const t of tasks) {
        const got = seen.get(t.id);
        expect({ id: t.id, state: got?.state, error: got?.error }).toEqual({
          id: t.id,
          state: t.state,
          error: undefined,
        });
        if (t.exception) {
          expect(
            (got?.result as { __exception__: { str: string } }).__exception__
              .str,
          ).toBe(t.exception.str);
        } else {
          expect({ id: t.id, result: comparable(got?.result) }).toEqual({
            id: t.id,
            result: comparable(t.result),
          });
        }
      }
    }, 60_000);

    it('shares documents with Celery: its conflict path updates ours, SUCCESS then stays', async () => {
      const id = `shared-${process.pid}`;
      const key = `celery-task-meta-${id}`;
      await store.set(
        key,
        `{"status": "STARTED", "result": null, "task_id": "${id}"}`,
        null,
        true,
      );
      const out = await celery({
        url: url('interop'),
        write: [{ id, kind: 'done', result: 7 }],
        read: [id],
        raw: [key],
      });
      expect(out.read[0]).toMatchObject({ state: 'SUCCESS', result: 7 });
      expect(await store.get(key)).toBe(out.raw[key]);
      expect(
        await store.set(
          key,
          `{"status": "FAILURE", "task_id": "${id}"}`,
          null,
          true,
        ),
      ).toBe('kept-success');
      const doc = (await couchRaw(srv, 'GET', `/interop/${key}`))
        .json as Record<string, unknown>;
      expect(Object.keys(doc).sort()).toEqual(['_id', '_rev', 'value']);
      expect(doc._rev).toMatch(/^2-/);
    }, 60_000);

    it('Celery ignores fields other than "value" in a document', async () => {
      const id = `extra-${process.pid}`;
      const key = `celery-task-meta-${id}`;
      const value = `{"status": "SUCCESS", "result": 1, "traceback": null, "children": [], "date_done": "2026-01-01T00:00:00", "task_id": "${id}"}`;
      await couchRaw(srv, 'PUT', `/interop/${key}`, {
        _id: key,
        value,
        written_at: 123,
      });
      const out = await celery({ url: url('interop'), read: [id], raw: [key] });
      expect(out.raw[key]).toBe(value);
      expect(out.read[0]).toMatchObject({ state: 'SUCCESS', result: 1 });
    }, 60_000);
  }),
);
