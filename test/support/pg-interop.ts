/**
 * What the two PostgreSQL interop suites (Celery's `DatabaseBackend`,
 * test/postgresql-celery.e2e-spec.ts, and django-celery-results, test/postgresql-django-celery.e2e-spec.ts)
 * check alike, with the same scenario scripts (`write`/`read` of test/python/pg_celery.py and
 * django_celery.py): the layout-specific assertions stay in each spec. Those scripts (and the
 * live worker's, test/postgresql-worker.e2e-spec.ts) run through {@link runInteropScript}.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import {
  TaskFailedError,
  type ResultBackendService,
  type StoreResultOptions,
  type TaskMeta,
} from '../../libs/result-backend/src/index.js';
import { runPython } from './python.js';

/** Options of {@link runInteropScript}. */
export interface InteropScriptOptions {
  /** The interpreter; default the Celery version under test's. */
  readonly python?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Default 60 s. */
  readonly timeoutMs?: number;
  /** More to report when the script fails (e.g. a worker's log). */
  readonly context?: () => string;
}

/**
 * Run the Python `script` (a path) in `mode` with JSON `args` and return its JSON output lines
 * (those starting with `{`); rejects with its stderr (and `context()`) when it exits non-zero.
 */
export async function runInteropScript(
  script: string,
  mode: string,
  args: unknown,
  options: InteropScriptOptions = {},
): Promise<Record<string, unknown>[]> {
  const run = await runPython([script, mode, JSON.stringify(args)], {
    python: options.python,
    env: options.env,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  if (run.code !== 0) {
    const more = options.context ? `\n${options.context()}` : '';
    throw new Error(
      `${basename(script)} ${mode} failed:\n${run.stderr}${more}`,
    );
  }
  return run.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Ids of the Celery-side `write` scenario. */
export interface WriteIds {
  readonly ok: string;
  readonly bad: string;
  readonly custom: string;
  readonly group: string;
}

/** What the service read of Celery's `write` scenario. */
export interface CeleryWrites {
  readonly ids: WriteIds;
  readonly ok: TaskMeta;
  readonly bad: TaskMeta;
  readonly custom: TaskMeta;
}

/**
 * Watches `ok` while Celery writes STARTED → PROGRESS → SUCCESS (1.5 s between states: a 100 ms
 * poll must see each one even when CI starves the process), a `ValueError('bad', 1)`, a
 * `QuotaExceeded('over', 3)` (the script's own class, run as `__main__`) and a group of
 * [ok, bad]; checks the states in order, the two failures as typed errors and the group.
 */
export async function watchCeleryWrites(
  svc: ResultBackendService,
  write: (args: WriteIds & { pause: number }) => Promise<unknown>,
): Promise<CeleryWrites> {
  const ids = {
    ok: randomUUID(),
    bad: randomUUID(),
    custom: randomUUID(),
    group: randomUUID(),
  };
  const states = lastValueFrom(
    svc.watch(ids.ok, { timeout: 30_000 }).pipe(toArray()),
  );
  void states.catch(() => undefined); // awaited below unless the script fails
  await write({ ...ids, pause: 1.5 });
  const seen = (await states).map((m) => m.status);
  expect(seen).toEqual(
    ['PENDING', 'STARTED', 'PROGRESS', 'SUCCESS'].filter((s) =>
      seen.includes(s),
    ),
  );
  expect(seen).toEqual(
    expect.arrayContaining(['STARTED', 'PROGRESS', 'SUCCESS']),
  );
  const ok = await svc.getTaskMeta(ids.ok);
  const bad = await svc.getTaskMeta(ids.bad);
  expect(bad.error).toBeInstanceOf(TaskFailedError);
  expect(bad.error).toMatchObject({
    excType: 'ValueError',
    excModule: 'builtins',
    excArgs: ['bad', 1],
  });
  const custom = await svc.getTaskMeta(ids.custom);
  expect(custom.error).toMatchObject({
    excType: 'QuotaExceeded',
    excModule: '__main__',
    excArgs: ['over', 3],
  });
  const group = await svc.restoreGroup(ids.group);
  expect(group?.results.map((r) => r.id)).toEqual([ids.ok, ids.bad]);
  return { ids, ok, bad, custom };
}

/** Ids of the service-side scenario. */
export interface ServiceWrites {
  readonly ok: string;
  readonly failed: string;
  readonly remote: string;
  readonly group: string;
}

/**
 * The service writes STARTED then SUCCESS of `{n, big, list, when}` (with `okOptions`), a
 * `RangeError`, a remote `KeyError` dict and a group of [ok, failed]; `read` returns what
 * Celery's AsyncResult reads (one JSON line per id, then the layout's extra lines), whose
 * common part is checked here: ints, the list and both exception classes. `out[0].items.when`
 * is the spec's to check.
 */
export async function writeForCelery(
  svc: ResultBackendService,
  read: (ids: ServiceWrites) => Promise<Record<string, unknown>[]>,
  okOptions?: StoreResultOptions,
): Promise<{ ids: ServiceWrites; out: Record<string, unknown>[] }> {
  const ids = {
    ok: randomUUID(),
    failed: randomUUID(),
    remote: randomUUID(),
    group: randomUUID(),
  };
  await svc.markAsStarted(ids.ok);
  await svc.markAsDone(
    ids.ok,
    {
      n: 1,
      big: 2n ** 70n,
      list: [1.5, null, 'é'],
      when: new Date('2020-01-02T03:04:05.678Z'),
    },
    okOptions,
  );
  await svc.markAsFailure(ids.failed, new RangeError('out of range'));
  await svc.markAsFailure(ids.remote, {
    exc_type: 'KeyError',
    exc_message: ['k'],
    exc_module: 'builtins',
  });
  await svc.saveGroup(ids.group, [ids.ok, ids.failed]);
  const out = await read(ids);
  expect(out[0]).toMatchObject({
    state: 'SUCCESS',
    items: {
      n: { type: 'int', repr: '1' },
      big: { type: 'int', repr: '1180591620717411303424' },
      list: { type: 'list', repr: "[1.5, None, 'é']" },
    },
  });
  expect(out[1]).toMatchObject({
    state: 'FAILURE',
    exc: { type: 'ValueError', module: 'builtins', args: ["'out of range'"] },
  });
  expect(out[2]).toMatchObject({
    state: 'FAILURE',
    exc: { type: 'KeyError', module: 'builtins', args: ["'k'"] },
  });
  return { ids, out };
}
