/**
 * The typed-values round trip of issue 11, with the Celery under test as the judge: Python
 * stores typed results (datetime with microseconds and offset, date, time, Decimal, UUID, bytes,
 * typed exception args), the service reads them and writes copies under new ids, and Celery's
 * AsyncResult must read the copies as equal values of the same Python types.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ResultBackendService } from '../../libs/result-backend/src/index.js';
import { runPython } from './python.js';

const SCRIPT = join(process.cwd(), 'test', 'python', 'typed_copy.py');

/** One task as typed_copy.py describes it (`{"__py__": type, "repr": …}` for typed values). */
export interface TypedRead {
  readonly id: string;
  readonly state: string;
  readonly result: unknown;
}

/**
 * Run typed_copy.py `cmd` against `backend` (URL or `s3`), returning its last stdout line.
 * `python`: the interpreter (default: the version under test's).
 */
export async function typedCopyScript(
  cmd: 'write' | 'read',
  backend: string,
  input: unknown,
  env: NodeJS.ProcessEnv = {},
  python?: string,
): Promise<string> {
  const run = await runPython([SCRIPT, cmd, backend], {
    python,
    input: JSON.stringify(input),
    env: { PYTHONPATH: join(process.cwd(), 'test', 'python'), ...env },
    timeoutMs: 60_000,
  });
  if (run.code !== 0)
    throw new Error(`typed_copy.py ${cmd} failed: ${run.stderr.slice(-2000)}`);
  return run.stdout.trim().split('\n').pop() ?? '';
}

/** Ids of the originals (written by Celery) and of the copies (written by the service). */
export interface TypedCopyIds {
  readonly values: string;
  readonly failure: string;
  readonly copyValues: string;
  readonly copyFailure: string;
}

/**
 * Celery writes the typed originals, the service reads them and writes copies under new
 * ids (SUCCESS value as read; FAILURE from the read `TaskFailedError`). `beforeCopy` runs
 * between (e.g. to start a reader blocked in `get()`). Returns the ids. `python`: the
 * interpreter (default: the version under test's).
 */
export async function copyTypedResults(
  svc: ResultBackendService,
  backend: string,
  env: NodeJS.ProcessEnv = {},
  beforeCopy: (ids: TypedCopyIds) => Promise<void> = () => Promise.resolve(),
  python?: string,
): Promise<TypedCopyIds> {
  const ids = {
    values: `typed-${randomUUID()}`,
    failure: `typed-fail-${randomUUID()}`,
    copyValues: `typed-copy-${randomUUID()}`,
    copyFailure: `typed-copy-fail-${randomUUID()}`,
  };
  expect(
    await typedCopyScript(
      'write',
      backend,
      { values: ids.values, failure: ids.failure },
      env,
      python,
    ),
  ).toBe('OK');
  const [values, failure] = await Promise.all([
    svc.getTaskMeta(ids.values),
    svc.getTaskMeta(ids.failure),
  ]);
  expect([values.status, failure.status]).toEqual(['SUCCESS', 'FAILURE']);
  await beforeCopy(ids);
  await svc.markAsDone(ids.copyValues, values.result);
  await svc.markAsFailure(ids.copyFailure, failure.error);
  return ids;
}

/**
 * The originals and the copies as Celery reads them must be equal, types included; with
 * `typed` (kombu ≥ 5.3), the originals really are datetime, Decimal, UUID and bytes values.
 */
export function expectSameTypedReads(
  reads: readonly TypedRead[],
  ids: TypedCopyIds,
  typed: boolean,
): void {
  const byId = new Map(reads.map((r) => [r.id, r]));
  const view = (id: string) => {
    const r = byId.get(id);
    return { state: r?.state, result: r?.result };
  };
  expect(view(ids.copyValues)).toEqual(view(ids.values));
  expect(view(ids.copyFailure)).toEqual(view(ids.failure));
  const text = JSON.stringify([view(ids.values), view(ids.failure)]);
  for (const type of ['datetime', 'date', 'time', 'Decimal', 'UUID', 'bytes'])
    expect({ type, found: text.includes(`"__py__":"${type}"`) }).toEqual({
      type,
      found: typed,
    });
}
