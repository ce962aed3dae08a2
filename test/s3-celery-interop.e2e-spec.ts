/**
 * Live interop with each Celery of the matrix + boto3 on the same s3rver, both ways: Celery
 * writes and the store reads the same bytes; the store writes the vectors' bytes and Celery's
 * AsyncResult reads the state and result recorded in the vectors. One s3rver serves every
 * version, each in its own bucket; each test's work runs for all versions at once.
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
  acrossVersions,
  CELERY_MATRIX,
  CELERY_VERSION,
  describeWithCelery,
  runPython,
  versionTag,
} from './support/python.js';
import { describeWithS3rver } from './support/s3-server.js';
import { testStoreContext } from './support/store-context.js';

// Under load (2 shared cores) s3rver round trips slow down, and the first version's test waits
// for the work of all three versions; no test relies on this bound.
jest.setTimeout(90_000);

/** The bucket of a Celery version: versions never see each other's results. */
const bucketOf = (version: string): string =>
  `celery-results-${versionTag('-', version)}`;
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
/** The final S3 vectors of a Celery version. */
const finalVectors = (version: string): Vector[] =>
  celeryVectors<Vector>(version).vectors.filter(
    (v) => v.backend === 's3' && v.phase === 'final' && v.stored.length > 0,
  );

const parseLines = <T>(out: string): T[] =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as T);

/** One bucket per Celery version of the matrix. */
const BUCKETS = CELERY_MATRIX.map((r) => bucketOf(r.version));

describeWithS3rver('s3rver', BUCKETS, (s3) => {
  const env = (
    version: string,
    extra: Record<string, string> = {},
  ): NodeJS.ProcessEnv => ({
    S3_ENDPOINT: s3.server.endpointUrl,
    S3_BUCKET: bucketOf(version),
    PYTHONPATH: PY_DIR,
    ...extra,
  });

  /** Celery's typed originals and the service's copies, as that Celery reads them. */
  const typedCopies = acrossVersions(async ({ version, python }) => {
    const svc = await createResultBackend(
      {
        url: 's3',
        s3: {
          bucket: bucketOf(version),
          endpointUrl: s3.server.endpointUrl,
          accessKeyId: 'S3RVER',
          secretAccessKey: 'S3RVER',
          region: 'us-east-1',
        },
      },
      { read: () => undefined },
    );
    try {
      const ids = await copyTypedResults(
        svc,
        's3',
        env(version),
        undefined,
        python,
      );
      const reads = JSON.parse(
        await typedCopyScript(
          'read',
          's3',
          Object.values(ids),
          env(version),
          python,
        ),
      ) as TypedRead[];
      return { ids, reads };
    } finally {
      await svc.close();
    }
  });

  /** What Celery wrote (base path "interop/") and what the store reads there. */
  const celeryWrites = acrossVersions(async ({ version, python }) => {
    const run = await runPython(
      [`${PY_DIR}s3_celery_write.py`, `ts-reads-${process.pid}`],
      { python, env: env(version, { S3_BASE_PATH: 'interop/' }) },
    );
    const written = parseLines<{
      name: string;
      key: string;
      object_key: string;
      raw_base64: string;
    }>(run.stdout);
    const store = await createS3Store(
      s3.config(bucketOf(version), 'interop/'),
      testStoreContext(),
    );
    try {
      const got: (string | null)[] = [];
      for (const w of written) got.push(await store.get(w.key));
      // The same objects are polled with 304s: still the same bytes.
      const polled = await store.mget(written.map((w) => w.key));
      return { run, written, got, polled };
    } finally {
      await store.close();
    }
  });

  /** The store writes a version's final vectors; that Celery reads them back. */
  const celeryReads = acrossVersions(async ({ version, python }) => {
    const vectors = finalVectors(version);
    const store: ResultStore = await createS3Store(
      s3.config(bucketOf(version)),
      testStoreContext(),
    );
    const tasks: ExpectedTask[] = [];
    try {
      for (const v of vectors) {
        for (const s of v.stored) {
          await store.set(s.key, vectorFileText(s.file, version), null, false);
        }
        tasks.push(...v.expected.filter((e) => e.kind === 'task'));
      }
    } finally {
      await store.close();
    }
    const ids = [...new Set(tasks.map((t) => t.id))];
    const run = await runPython([`${PY_DIR}s3_celery_read.py`], {
      python,
      env: env(version),
      input: JSON.stringify(ids),
    });
    return { vectors, tasks, ids, run };
  });

  describeWithCelery('s3 store <-> Celery (s3rver)', () => {
    it("copies typed results through the service under new ids that Celery's AsyncResult reads as the same Python values", async () => {
      const { ids, reads } = await typedCopies();
      expectSameTypedReads(reads, ids, CELERY_VERSION !== '5.2.6');
    });

    it('reads what Celery wrote (base path "interop/"), byte for byte', async () => {
      const { run, written, got, polled } = await celeryWrites();
      expect(run.stderr).not.toMatch(/Traceback/);
      expect(written.map((w) => w.name)).toEqual([
        'success',
        'failure',
        'revoked',
        'progress',
        'unicode',
      ]);
      const raw = written.map((w) =>
        Buffer.from(w.raw_base64, 'base64').toString('utf8'),
      );
      for (const w of written) expect(w.object_key).toBe(`interop/${w.key}`);
      expect(got).toEqual(raw);
      const byName = new Map(written.map((w, i) => [w.name, raw[i]]));
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
      expect(polled).toEqual(raw);
    });

    it("Celery reads what the store wrote (its version's final vectors): same state and result", async () => {
      const { vectors, tasks, ids, run } = await celeryReads();
      expect(vectors.length).toBeGreaterThan(40);
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
  });
});
