/**
 * Live interop with each Celery's CouchBackend on the same pouchdb-server, both ways.
 * pycouchdb is not in Debian: test/python/couch_celery_interop.py uses it when importable and
 * otherwise a minimal stand-in for the four calls Celery's backend makes (it reports which).
 * One server serves every version, each in databases of its own; each test's work runs for
 * all versions at once.
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
  acrossVersions,
  CELERY_MATRIX,
  describeWithCelery,
  runPython,
  versionTag,
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
/** The final CouchDB vectors of a Celery version. */
const finalVectors = (version: string): Vector[] =>
  celeryVectors<Vector>(version).vectors.filter(
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

describeWithServer([POUCHDB_SERVER_BIN], 'pouchdb-server', () => {
  let srv: CouchTestServer;
  /** A database of a Celery version: versions never see each other's results. */
  const dbOf = (name: string, version: string): string =>
    `${name}-${versionTag('-', version)}`;
  const url = (db: string): string => `couchdb://127.0.0.1:${srv.port}/${db}`;
  const celery = async (python: string, req: object): Promise<CeleryRun> => {
    const run = await runPython([SCRIPT], {
      python,
      input: JSON.stringify(req),
      timeoutMs: 60_000,
    });
    if (run.code !== 0)
      throw new Error(`python exited ${run.code}: ${run.stderr.slice(-2000)}`);
    return JSON.parse(run.stdout.trim().split('\n').pop()!) as CeleryRun;
  };
  /** `work` with a store on the version's database (closed after). */
  const withStore = async <T>(
    db: string,
    work: (store: ResultStore) => Promise<T>,
  ): Promise<T> => {
    const store = await createCouchDbStore(
      couchConfig(srv, db),
      testStoreContext(),
    );
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };

  beforeAll(async () => {
    srv = await startCouchServer();
    // The store's databases, made one at a time: pouchdb-server dropped connections when
    // three versions created theirs at once.
    for (const { version } of CELERY_MATRIX)
      await couchRaw(srv, 'PUT', `/${dbOf('interop', version)}`);
  });
  afterAll(async () => {
    await srv?.dispose();
  });

  /** Celery writes (and creates the database); the store reads the same documents. */
  const celeryWrites = acrossVersions(async ({ version, python }) => {
    const db = dbOf('celery-made', version);
    const ids = ['c-done', 'c-fail', 'c-started', 'c-revoked'].map(
      (n) => `${n}-${process.pid}`,
    );
    const keys = ids.map((id) => `celery-task-meta-${id}`);
    const out = await celery(python, {
      url: url(db),
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
    return withStore(db, async (s) => {
      const many = await s.mget(keys);
      const one: (string | null)[] = [];
      for (const k of keys) one.push(await s.get(k));
      return { keys, out, many, one };
    });
  });

  /** The store writes a version's final vectors; that Celery reads them. */
  const celeryReads = acrossVersions(async ({ version, python }) => {
    const vectors = finalVectors(version);
    const db = dbOf('interop', version);
    const tasks: ExpectedTask[] = [];
    await withStore(db, async (store) => {
      for (const v of vectors) {
        for (const st of v.stored) {
          const payload = (
            JSON.parse(vectorFileText(st.file, version)) as { value: string }
          ).value;
          await store.set(st.key, payload, null, false);
        }
        tasks.push(...v.expected.filter((e) => e.kind === 'task'));
      }
    });
    const out = await celery(python, {
      url: url(db),
      read: [...new Set(tasks.map((t) => t.id))],
    });
    return { vectors, tasks, out };
  });

  /** The store writes STARTED, Celery's conflict path updates it to SUCCESS, ours then keeps it. */
  const shared = acrossVersions(async ({ version, python }) => {
    const db = dbOf('interop', version);
    const id = `shared-${process.pid}`;
    const key = `celery-task-meta-${id}`;
    return withStore(db, async (store) => {
      await store.set(
        key,
        `{"status": "STARTED", "result": null, "task_id": "${id}"}`,
        null,
        true,
      );
      const out = await celery(python, {
        url: url(db),
        write: [{ id, kind: 'done', result: 7 }],
        read: [id],
        raw: [key],
      });
      const after = await store.get(key);
      const guarded = await store.set(
        key,
        `{"status": "FAILURE", "task_id": "${id}"}`,
        null,
        true,
      );
      const doc = (await couchRaw(srv, 'GET', `/${db}/${key}`)).json as Record<
        string,
        unknown
      >;
      return { key, out, after, guarded, doc };
    });
  });

  /** A document with a field besides "value", as Celery reads it. */
  const extraFields = acrossVersions(async ({ version, python }) => {
    const db = dbOf('interop', version);
    const id = `extra-${process.pid}`;
    const key = `celery-task-meta-${id}`;
    const value = `{"status": "SUCCESS", "result": 1, "traceback": null, "children": [], "date_done": "2026-01-01T00:00:00", "task_id": "${id}"}`;
    await couchRaw(srv, 'PUT', `/${db}/${key}`, {
      _id: key,
      value,
      written_at: 123,
    });
    const out = await celery(python, { url: url(db), read: [id], raw: [key] });
    return { key, value, out };
  });

  describeWithCelery('couchdb store <-> Celery (pouchdb-server)', () => {
    it('reads what Celery wrote (Celery creates the database), byte for byte', async () => {
      const { keys, out, many, one } = await celeryWrites();
      expect(many).toEqual(keys.map((k) => out.raw[k]));
      expect(one).toEqual(keys.map((k) => out.raw[k]));
      expect(out.raw[keys[0]]).toMatch(
        /^\{"status": "SUCCESS", "result": \{"caf\\u00e9 \\ud83c\\udf89": \[1, 2\.5, null\]\}/,
      );
      expect(out.raw[keys[1]]).toMatch(
        /^\{"status": "FAILURE", "result": \{"exc_type": "ValueError"/,
      );
    }, 90_000);

    it("Celery reads what the store wrote (its version's final vectors): same state and result", async () => {
      const { vectors, tasks, out } = await celeryReads();
      expect(vectors.length).toBeGreaterThan(40);
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
    }, 90_000);

    it('shares documents with Celery: its conflict path updates ours, SUCCESS then stays', async () => {
      const { key, out, after, guarded, doc } = await shared();
      expect(out.read[0]).toMatchObject({ state: 'SUCCESS', result: 7 });
      expect(after).toBe(out.raw[key]);
      expect(guarded).toBe('kept-success');
      expect(Object.keys(doc).sort()).toEqual(['_id', '_rev', 'value']);
      expect(doc._rev).toMatch(/^2-/);
    }, 90_000);

    it('Celery ignores fields other than "value" in a document', async () => {
      const { key, value, out } = await extraFields();
      expect(out.raw[key]).toBe(value);
      expect(out.read[0]).toMatchObject({ state: 'SUCCESS', result: 1 });
    }, 90_000);
  });
});
