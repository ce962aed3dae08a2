/**
 * Live interop with Debian's Celery 5.2.6 + boto3 on the same s3rver, both ways: Celery writes
 * and the store reads the same bytes; the store writes the vectors' bytes and Celery's
 * AsyncResult reads the state and result recorded in the vectors.
 */
import { jest } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { createResultBackend } from '../libs/result-backend/src/index.js';
import {
  copyTypedResults,
  expectSameTypedReads,
  typedCopyScript,
  type TypedRead,
} from './support/typed-copy.js';
import { createS3Store } from '../libs/result-backend/src/stores/s3/s3.store.js';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import { celeryVectors, vectorFileText } from './support/celery-vectors.js';
import {
  CELERY_VERSION,
  describeWithCelery,
  runPython,
} from './support/python.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  S3RVER_BIN,
  s3rverConfig,
  startS3rver,
  type S3TestServer,
} from './support/s3-server.js';
import { testStoreContext } from './support/store-context.js';

// Under load (2 shared cores) s3rver round trips slow down; no test relies on this bound.
jest.setTimeout(30_000);

const BUCKET = 'celery-results';
const PY_DIR = fileURLToPath(new URL('./python/', import.meta.url));

interface ExpectedTask {
  kind: string;
  id: string;
  state: string;
  result_repr?:
    | string
    | { __large_str__: { length: number; sha256: string; head?: string } };
  exception?: { type: string; args: unknown[] };
}
interface Vector {
  vector: string;
  backend: string;
  mode: string;
  phase: string;
  stored: { key: string; file: string }[];
  expected: ExpectedTask[];
}
/** The final S3 vectors of the Celery version under test. */
const finalVectors = (): Vector[] =>
  celeryVectors<Vector>(CELERY_VERSION).vectors.filter(
    (v) => v.backend === 's3' && v.phase === 'final' && v.stored.length > 0,
  );

const parseLines = <T>(out: string): T[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as T);

describeWithCelery('s3 store <-> Celery (s3rver)', () =>
  describeWithServer([S3RVER_BIN], 's3rver', () => {
    let srv: S3TestServer;
    const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
      S3_ENDPOINT: srv.endpointUrl,
      S3_BUCKET: BUCKET,
      PYTHONPATH: PY_DIR,
      ...extra,
    });

    beforeAll(async () => {
      srv = await startS3rver([BUCKET]);
    });
    afterAll(async () => {
      await srv?.stop();
    });

    it("copies typed results through the service under new ids that Celery's AsyncResult reads as the same Python values", async () => {
      const svc = await createResultBackend(
        {
          url: 's3',
          s3: {
            bucket: BUCKET,
            endpointUrl: srv.endpointUrl,
            accessKeyId: 'S3RVER',
            secretAccessKey: 'S3RVER',
            region: 'us-east-1',
          },
        },
        { read: () => undefined },
      );
      try {
        const ids = await copyTypedResults(svc, 's3', env());
        const reads = JSON.parse(
          await typedCopyScript('read', 's3', Object.values(ids), env()),
        ) as TypedRead[];
        expectSameTypedReads(reads, ids, CELERY_VERSION !== '5.2.6');
      } finally {
        await svc.close();
      }
    });

    it('reads what Celery wrote (base path "interop/"), byte for byte', async () => {
      const run = await runPython(
        [`${PY_DIR}s3_celery_write.py`, `ts-reads-${process.pid}`],
        {
          env: env({ S3_BASE_PATH: 'interop/' }),
        },
      );
      expect(run.stderr).not.toMatch(/Traceback/);
      const written = parseLines<{
        name: string;
        key: string;
        object_key: string;
        raw_base64: string;
      }>(run.stdout);
      expect(written.map((w) => w.name)).toEqual([
        'success',
        'failure',
        'revoked',
        'progress',
        'unicode',
      ]);
      const store = await createS3Store(
        s3rverConfig(srv, BUCKET, 'interop/'),
        testStoreContext(),
      );
      try {
        for (const w of written) {
          expect(w.object_key).toBe(`interop/${w.key}`);
          expect(await store.get(w.key)).toBe(
            Buffer.from(w.raw_base64, 'base64').toString('utf8'),
          );
        }
        const byName = new Map(
          written.map((w) => [
            w.name,
            Buffer.from(w.raw_base64, 'base64').toString('utf8'),
          ]),
        );
        expect(byName.get('failure')).toMatch(
          /^\{"status": "FAILURE", "result": \{"exc_type": "CustomError", "exc_message": \["custom message", 42\], "exc_module": "s3_celery_app"\}/,
        );
        expect(byName.get('revoked')).toMatch(
          /^\{"status": "REVOKED", "result": \{"exc_type": "TaskRevokedError"/,
        );
        expect(byName.get('progress')).toMatch(
          /^\{"status": "PROGRESS", "result": \{"current": 3, "total": 10\}/,
        );
        expect(byName.get('unicode')).toContain(
          '"result": "caf\\u00e9 \\ud83c\\udf89 \\u2028"',
        );
        // The same objects are polled with 304s: still the same bytes.
        expect(await store.mget(written.map((w) => w.key))).toEqual(
          written.map((w) => byName.get(w.name)),
        );
      } finally {
        await store.close();
      }
    });

    it("Celery reads what the store wrote (its version's final vectors): same state and result", async () => {
      const vectors = finalVectors();
      expect(vectors.length).toBeGreaterThan(40);
      const store: ResultStore = await createS3Store(
        s3rverConfig(srv, BUCKET),
        testStoreContext(),
      );
      const tasks: ExpectedTask[] = [];
      try {
        for (const v of vectors) {
          for (const s of v.stored) {
            await store.set(
              s.key,
              vectorFileText(s.file, CELERY_VERSION),
              null,
              false,
            );
          }
          tasks.push(...v.expected.filter((e) => e.kind === 'task'));
        }
      } finally {
        await store.close();
      }
      const ids = [...new Set(tasks.map((t) => t.id))];
      const run = await runPython([`${PY_DIR}s3_celery_read.py`], {
        env: env(),
        input: JSON.stringify(ids),
      });
      expect(run.stderr).not.toMatch(/Traceback/);
      const seen = new Map(
        parseLines<{
          id: string;
          state: string;
          result_repr: string;
          exc_type?: string;
        }>(run.stdout).map((r) => [r.id, r]),
      );
      expect(seen.size).toBe(ids.length);
      const reprOf = (
        r: ExpectedTask['result_repr'],
      ): ExpectedTask['result_repr'] =>
        typeof r === 'object'
          ? {
              __large_str__: {
                length: r.__large_str__.length,
                sha256: r.__large_str__.sha256,
              },
            }
          : r;
      for (const t of tasks) {
        const got = seen.get(t.id)!;
        const want = t.exception
          ? {
              id: t.id,
              state: t.state,
              exc_type: t.exception.type,
            }
          : { id: t.id, state: t.state, result_repr: reprOf(t.result_repr) };
        const have = t.exception
          ? { id: t.id, state: got.state, exc_type: got.exc_type }
          : { id: t.id, state: got.state, result_repr: got.result_repr };
        expect(have).toEqual(want);
      }
    });
  }),
);
