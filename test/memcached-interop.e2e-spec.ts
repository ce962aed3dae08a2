/**
 * Live interop with Celery 5.2.6 and pylibmc (Debian's python3-celery, python3-pylibmc) over
 * two memcached servers: same key placement both ways, same bytes both ways.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { ResultStore } from '../libs/result-backend/src/stores/result-store.interface.js';
import { createMemcachedStore } from '../libs/result-backend/src/stores/memcached/memcached.store.js';
import { pickServerIndex } from '../libs/result-backend/src/stores/memcached/memcached-hash.router.js';
import { createResultBackend } from '../libs/result-backend/src/index.js';
import {
  CELERY_VERSION,
  describeWithCelery,
  runPython,
} from './support/python.js';
import {
  copyTypedResults,
  expectSameTypedReads,
  typedCopyScript,
  type TypedRead,
} from './support/typed-copy.js';
import { describeWithServer } from './support/skip-gate.js';
import {
  startMemcacheds,
  type MemcachedTestServer,
} from './support/memcached-server.js';

const PY_DIR = join(process.cwd(), 'test', 'python');
/** Needs memcached and Celery with pylibmc: skip loudly locally, fail under CI. */
function describeWithCeleryMemcached(name: string, fn: () => void): void {
  describeWithCelery(
    name,
    () => describeWithServer(['memcached'], 'memcached', fn),
    ['pylibmc'],
  );
}

async function py<T>(
  script: string,
  args: string[],
  input: unknown,
): Promise<T> {
  const run = await runPython([join(PY_DIR, script), ...args], {
    input: JSON.stringify(input),
    env: { PYTHONPATH: PY_DIR },
    timeoutMs: 30000,
  });
  if (run.code !== 0)
    throw new Error(`${script} exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? 'null') as T;
}

const doc = (fields: string, id: string): string =>
  `{${fields}, "task_id": "${id}"}`;

describeWithCeleryMemcached(
  'memcached interop with Celery (pylibmc, two servers)',
  () => {
    let mcs: MemcachedTestServer[] = [];
    let store: ResultStore;
    let url = '';
    let addresses: string[] = [];

    beforeAll(async () => {
      mcs = await startMemcacheds(2);
      addresses = mcs.map((m) => m.address);
      url = `cache+memcached://${addresses.join(';')}/`;
      const servers = mcs.map((m) => ({ host: '127.0.0.1', port: m.port }));
      store = await createMemcachedStore(
        { kind: 'memcached', servers },
        {
          logger: new Logger('mc-interop'),
          pollIntervalMs: 500,
        },
      );
    });

    afterAll(async () => {
      await store?.close();
      await Promise.all(mcs.map((m) => m.stop()));
    });

    it("copies typed results through the service under new ids that Celery's AsyncResult reads as the same Python values", async () => {
      const svc = await createResultBackend({ url }, { read: () => undefined });
      try {
        const env = { PYTHONPATH: PY_DIR };
        const ids = await copyTypedResults(svc, url, env);
        const reads = JSON.parse(
          await typedCopyScript('read', url, Object.values(ids), env),
        ) as TypedRead[];
        expectSameTypedReads(reads, ids, CELERY_VERSION !== '5.2.6');
      } finally {
        await svc.close();
      }
    });

    it('finds every key pylibmc wrote on the server our function picks, and reads it', async () => {
      const keys = Array.from(
        { length: 200 },
        () => `celery-task-meta-${randomUUID()}`,
      );
      keys.push('celery-task-meta-\u00e9\u2713', 'chord-unlock-\u00fcber');
      const value = `{"status": "SUCCESS", "result": "py-${randomUUID()}"}`;
      const out = await py<{ placement: Record<string, number | number[]> }>(
        'mc_placement.py',
        [],
        {
          servers: addresses,
          keys,
          value,
        },
      );
      expect(keys.map((k) => out.placement[k])).toEqual(
        keys.map((k) => pickServerIndex(k, 2)),
      );
      expect(new Set(keys.map((k) => out.placement[k])).size).toBe(2);
      expect(await store.mget(keys)).toEqual(keys.map(() => value));
    });

    it('writes keys pylibmc reads back as text from the same servers', async () => {
      const keys = Array.from(
        { length: 200 },
        () => `celery-task-meta-${randomUUID()}`,
      );
      keys.push('celery-taskset-meta-\u00e9\u2713');
      const value = (k: string): string =>
        `{"status": "SUCCESS", "result": "\\u00e9 ${k}", "task_id": "${k}"}`;
      await Promise.all(keys.map((k) => store.set(k, value(k), 600, true)));
      const got = await py<Record<string, [string, string]>>(
        'mc_celery.py',
        ['mget', url],
        keys,
      );
      expect(Object.keys(got).length).toBe(keys.length);
      for (const k of keys) expect(got[k]).toEqual(['str', value(k)]);
    });

    it('reads exactly the bytes Celery wrote (SUCCESS, FAILURE with a custom exception, PROGRESS)', async () => {
      const ids = {
        success: randomUUID(),
        failure: randomUUID(),
        progress: randomUUID(),
      };
      const written = await py<Record<string, string>>(
        'mc_celery.py',
        ['write', url],
        ids,
      );
      for (const id of Object.values(ids)) {
        expect(await store.get(`celery-task-meta-${id}`)).toBe(written[id]);
      }
      expect(written[ids.failure]).toContain(
        '"exc_type": "CustomError", "exc_message": ["custom message", 42], "exc_module": "mc_tasks"',
      );
      expect(written[ids.progress]).toMatch(
        /^\{"status": "PROGRESS", "result": \{"current": 3, "total": 10\}/,
      );
    });

    it('writes documents Celery reads: state, result, exception class and args', async () => {
      const [s, f, p, started] = [
        randomUUID(),
        randomUUID(),
        randomUUID(),
        randomUUID(),
      ];
      const date = '"date_done": "2026-01-02T03:04:05.678901"';
      await store.set(
        `celery-task-meta-${s}`,
        doc(
          `"status": "SUCCESS", "result": {"n": [1, 2.5, "\\u00e9"]}, "traceback": null, "children": [], ${date}`,
          s,
        ),
        600,
        true,
      );
      await store.set(
        `celery-task-meta-${f}`,
        doc(
          `"status": "FAILURE", "result": {"exc_type": "CustomError", "exc_message": ["custom message", 42], "exc_module": "mc_tasks"}, "traceback": "Traceback (most recent call last):\\n", "children": [], ${date}`,
          f,
        ),
        600,
        true,
      );
      await store.set(
        `celery-task-meta-${p}`,
        doc(
          `"status": "PROGRESS", "result": {"current": 3, "total": 10}, "traceback": null, "children": [], "date_done": null`,
          p,
        ),
        600,
        true,
      );
      await store.set(
        `celery-task-meta-${started}`,
        doc(
          `"status": "STARTED", "result": {"pid": 1, "hostname": "node"}, "traceback": null, "children": [], "date_done": null`,
          started,
        ),
        600,
        true,
      );
      const seen = await py<Record<string, Record<string, unknown>>>(
        'mc_celery.py',
        ['read', url],
        [s, f, p, started],
      );
      expect(seen[s]).toEqual({
        state: 'SUCCESS',
        traceback: null,
        result: { n: [1, 2.5, '\u00e9'] },
      });
      expect(seen[f]).toEqual({
        state: 'FAILURE',
        traceback: 'Traceback (most recent call last):\n',
        exception: {
          type: 'CustomError',
          module: 'mc_tasks',
          args: ['custom message', 42],
        },
      });
      expect(seen[p]).toEqual({
        state: 'PROGRESS',
        traceback: null,
        result: { current: 3, total: 10 },
      });
      expect(seen[started]).toEqual({
        state: 'STARTED',
        traceback: null,
        result: { pid: 1, hostname: 'node' },
      });
    });

    it('keeps a SUCCESS that Celery wrote when a guarded write comes later', async () => {
      const ids = {
        success: randomUUID(),
        failure: randomUUID(),
        progress: randomUUID(),
      };
      const written = await py<Record<string, string>>(
        'mc_celery.py',
        ['write', url],
        ids,
      );
      const key = `celery-task-meta-${ids.success}`;
      expect(
        await store.set(
          key,
          doc('"status": "FAILURE", "result": null', ids.success),
          600,
          true,
        ),
      ).toBe('kept-success');
      expect(await store.get(key)).toBe(written[ids.success]);
    });
  },
);
