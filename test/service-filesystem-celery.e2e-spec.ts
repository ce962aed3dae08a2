/**
 * Service-level interop with real Celery 5.2.6 on a file:// directory, both directions:
 * Celery writes and ResultBackendService reads; the service writes and Celery's AsyncResult reads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TaskFailedError,
  TaskRevokedError,
  createResultBackend,
  type ResultBackendService,
} from '../libs/result-backend/src/index.js';
import {
  CELERY_VERSION,
  describeWithCelery,
  runPython,
} from './utils/python.js';
import {
  copyTypedResults,
  expectSameTypedReads,
  typedCopyScript,
  type TypedRead,
} from './utils/typed-copy.js';

const here = dirname(fileURLToPath(import.meta.url));

interface PyTask {
  id: string;
  state: string;
  result: unknown;
  traceback: string | null;
  /** What `AsyncResult.get()` raised (FAILURE, REVOKED). */
  raised?: unknown;
  error?: string;
}

/** How fs_celery_read.py describes a Python exception. */
const pyExc = (type: string, module: string, args: unknown[], str: string) => ({
  __exception__: { type, module, args, str },
});

describeWithCelery('ResultBackendService ↔ Celery on file://', () => {
  let dir: string;
  let svc: ResultBackendService;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-fs-celery-'));
    svc = await createResultBackend({ url: `file://${dir}` });
  });
  afterAll(async () => {
    await svc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads what Celery writes, identically', async () => {
    const run = await runPython(
      [join(here, 'python', 'fs_celery_write.py'), dir],
      { timeoutMs: 30000 },
    );
    expect(run.code).toBe(0);
    const written = JSON.parse(run.stdout) as {
      kind: string;
      id: string;
      state: string | null;
      raw: string;
    }[];
    const tasks = written.filter((w) => w.kind === 'task');
    const metas = await svc.getMany(tasks.map((t) => t.id));
    for (const t of tasks) {
      const meta = metas.get(t.id);
      expect({ id: t.id, status: meta?.status, raw: meta?.raw }).toEqual({
        id: t.id,
        status: t.state,
        raw: t.raw,
      });
    }
    const byState = (s: string) =>
      metas.get(tasks.find((t) => t.state === s)?.id ?? '');
    expect(metas.get(tasks[0].id)?.result).toBe(42);
    expect(metas.get(tasks[1].id)?.result).toBe('h\u00e9llo \u{1f389} \u2028');
    expect(metas.get(tasks[4].id)?.result).toEqual([NaN, Infinity, -Infinity]);
    expect(metas.get(tasks[5].id)?.result).toBe(2n ** 64n);
    const failure = byState('FAILURE');
    expect(failure?.error).toBeInstanceOf(TaskFailedError);
    expect(failure?.error).toMatchObject({
      excType: 'CustomError',
      excModule: '__main__',
      excArgs: ['custom message', 42],
    });
    expect(failure?.traceback).toContain('CustomError');
    await expect(
      svc.waitFor(failure?.taskId ?? '', { timeout: 1000 }),
    ).rejects.toBeInstanceOf(TaskFailedError);
    expect(byState('REVOKED')?.error).toBeInstanceOf(TaskRevokedError);
    expect(byState('RETRY')?.error?.excType).toBe('ValueError');
    expect(byState('STARTED')?.result).toEqual({
      pid: 4242,
      hostname: 'w1@interop',
    });
    expect(byState('PROGRESS')?.result).toEqual({ current: 3, total: 10 });
    const group = written.find((w) => w.kind === 'group');
    const restored = await svc.restoreGroup(group?.id ?? '');
    expect(restored?.results).toHaveLength(3);
    expect(
      await svc.join(restored?.results.map((r) => r.id) ?? [], {
        timeout: 1000,
      }),
    ).toEqual([0, 2, 4]);
  });

  it("writes what Celery's AsyncResult reads back exactly", async () => {
    const ids = {
      int: 'svc-int',
      text: 'svc-text',
      nested: 'svc-nested',
      none: 'svc-none',
      floats: 'svc-floats',
      big: 'svc-big',
      typeError: 'svc-typeerror',
      copied: 'svc-copied',
      revoked: 'svc-revoked',
      retry: 'svc-retry',
      started: 'svc-started',
      progress: 'svc-progress',
    };
    await svc.markAsDone(ids.int, 42);
    await svc.markAsDone(ids.text, 'h\u00e9llo \u{1f389}');
    await svc.markAsDone(ids.nested, { a: [1, 2.5, { b: null }], c: true });
    await svc.markAsDone(ids.none, null);
    await svc.markAsDone(ids.floats, [NaN, Infinity, -Infinity, 0.1, 1e-7]);
    await svc.markAsDone(ids.big, 2n ** 64n);
    await svc.markAsFailure(ids.typeError, new TypeError('bad input'));
    const custom = new TaskFailedError({
      taskId: 'orig',
      state: 'FAILURE',
      excType: 'ZeroDivisionError',
      excModule: 'builtins',
      excArgs: ['division by zero'],
      traceback:
        'Traceback (most recent call last):\nZeroDivisionError: division by zero\n',
    });
    await svc.markAsFailure(ids.copied, custom);
    await svc.markAsRevoked(ids.revoked, 'expired');
    await svc.markAsRetry(ids.retry, new Error('again'));
    await svc.markAsStarted(ids.started, { pid: 7, hostname: 'nest@h' });
    await svc.storeResult(ids.progress, { current: 1, total: 2 }, 'PROGRESS');
    await svc.saveGroup('svc-group', [ids.int, ids.text]);

    const run = await runPython([join(here, 'python', 'fs_celery_read.py')], {
      input: JSON.stringify([
        { dir, tasks: Object.values(ids), groups: ['svc-group'] },
      ]),
      timeoutMs: 30000,
    });
    expect(run.code).toBe(0);
    const [read] = JSON.parse(run.stdout) as {
      tasks: PyTask[];
      groups: { found: boolean; results: string[] }[];
    }[];
    const get = (id: string): PyTask | undefined =>
      read.tasks.find((t) => t.id === id);
    for (const t of read.tasks)
      expect({ id: t.id, error: t.error }).toEqual({
        id: t.id,
        error: undefined,
      });
    expect(get(ids.int)).toMatchObject({ state: 'SUCCESS', result: 42 });
    expect(get(ids.text)).toMatchObject({
      state: 'SUCCESS',
      result: 'h\u00e9llo \u{1f389}',
    });
    expect(get(ids.nested)).toMatchObject({
      state: 'SUCCESS',
      result: { a: [1, 2.5, { b: null }], c: true },
    });
    expect(get(ids.none)).toMatchObject({ state: 'SUCCESS', result: null });
    expect(get(ids.floats)?.result).toEqual([
      { __float__: 'nan' },
      { __float__: 'inf' },
      { __float__: '-inf' },
      0.1,
      1e-7,
    ]);
    expect(run.stdout).toContain('"result": 18446744073709551616'); // Python read the exact integer
    expect(get(ids.typeError)).toMatchObject({
      state: 'FAILURE',
      result: {
        __exception__: {
          type: 'TypeError',
          module: 'builtins',
          args: ['bad input'],
        },
      },
    });
    expect(get(ids.copied)).toMatchObject({
      state: 'FAILURE',
      result: {
        __exception__: {
          type: 'ZeroDivisionError',
          module: 'builtins',
          args: ['division by zero'],
        },
      },
      traceback: custom.traceback,
    });
    expect(get(ids.revoked)).toMatchObject({
      state: 'REVOKED',
      result: {
        __exception__: {
          type: 'TaskRevokedError',
          module: 'celery.exceptions',
          args: ['expired'],
        },
      },
    });
    expect(get(ids.retry)?.state).toBe('RETRY');
    expect(get(ids.started)).toMatchObject({
      state: 'STARTED',
      result: { pid: 7, hostname: 'nest@h' },
    });
    expect(get(ids.progress)).toMatchObject({
      state: 'PROGRESS',
      result: { current: 1, total: 2 },
    });
    expect(read.groups[0]).toEqual({
      id: 'svc-group',
      found: true,
      results: [ids.int, ids.text],
    });
  });

  it('writes non-error failures so that Celery reads them and get() raises Exception(value)', async () => {
    const cases: [string, 'FAILURE' | 'RETRY' | 'REVOKED', unknown][] = [
      ['nf-str', 'FAILURE', 'plain string thrown'],
      ['nf-obj', 'FAILURE', { code: 5, why: 'x' }],
      ['nf-num', 'FAILURE', 42],
      ['nf-null', 'FAILURE', null],
      ['nf-undef', 'FAILURE', undefined],
      ['nf-list', 'FAILURE', [1, 'two']],
      ['nf-revoked', 'REVOKED', 'gone'],
      ['nf-retry', 'RETRY', 'try later'],
      ['nf-retry-null', 'RETRY', null],
      [
        'nf-dict',
        'FAILURE',
        { exc_type: 'KeyError', exc_message: ['k'], exc_module: 'builtins' },
      ],
    ];
    for (const [id, state, value] of cases)
      await svc.storeResult(id, value, state);
    // A remote failure with a null traceback, copied: the copy keeps null.
    await svc.store.set(
      svc.keys.taskKey('orig-null-tb'),
      '{"status": "FAILURE", "result": {"exc_type": "KeyError", "exc_message": ["k"], "exc_module": "builtins"}, "traceback": null, "children": [], "date_done": "2024-01-01T00:00:00.000000", "task_id": "orig-null-tb"}',
      null,
      false,
    );
    await svc.markAsFailure(
      'copy-null-tb',
      (await svc.getTaskMeta('orig-null-tb')).error,
    );

    const run = await runPython([join(here, 'python', 'fs_celery_read.py')], {
      input: JSON.stringify([
        {
          dir,
          tasks: [...cases.map(([id]) => id), 'copy-null-tb'],
          groups: [],
        },
      ]),
      timeoutMs: 30000,
    });
    expect(run.code).toBe(0);
    const [read] = JSON.parse(run.stdout) as { tasks: PyTask[] }[];
    const got = Object.fromEntries(
      read.tasks.map(({ id, state, result, traceback, raised, error }) => [
        id,
        { state, result, traceback, raised, error },
      ]),
    );
    const failed = (state: string, exc: unknown) => ({
      state,
      result: exc,
      traceback: null,
      raised: exc,
      error: undefined,
    });
    expect(got).toEqual({
      'nf-str': failed(
        'FAILURE',
        pyExc(
          'Exception',
          'builtins',
          ['plain string thrown'],
          'plain string thrown',
        ),
      ),
      'nf-obj': failed(
        'FAILURE',
        pyExc(
          'Exception',
          'builtins',
          [{ code: 5, why: 'x' }],
          "{'code': 5, 'why': 'x'}",
        ),
      ),
      'nf-num': failed('FAILURE', pyExc('Exception', 'builtins', [42], '42')),
      'nf-null': failed(
        'FAILURE',
        pyExc('Exception', 'builtins', [null], 'None'),
      ),
      'nf-undef': failed(
        'FAILURE',
        pyExc('Exception', 'builtins', ['undefined'], 'undefined'),
      ),
      'nf-list': failed(
        'FAILURE',
        pyExc('Exception', 'builtins', [[1, 'two']], "[1, 'two']"),
      ),
      'nf-revoked': failed(
        'REVOKED',
        pyExc('Exception', 'builtins', ['gone'], 'gone'),
      ),
      'nf-retry': {
        state: 'RETRY',
        result: pyExc('Exception', 'builtins', ['try later'], 'try later'),
        traceback: null,
        raised: undefined,
        error: undefined,
      },
      'nf-retry-null': {
        state: 'RETRY',
        result: null,
        traceback: null,
        raised: undefined,
        error: undefined,
      },
      'nf-dict': failed('FAILURE', pyExc('KeyError', 'builtins', ['k'], "'k'")),
      'copy-null-tb': failed(
        'FAILURE',
        pyExc('KeyError', 'builtins', ['k'], "'k'"),
      ),
    });
  });
  it("copies typed results under new ids that Celery's AsyncResult reads as the same Python values", async () => {
    const ids = await copyTypedResults(svc, `file://${dir}`);
    const reads = JSON.parse(
      await typedCopyScript('read', `file://${dir}`, Object.values(ids)),
    ) as TypedRead[];
    expectSameTypedReads(reads, ids, CELERY_VERSION !== '5.2.6');
  });
});
