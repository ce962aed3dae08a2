/**
 * Celery's `AsyncResult` and `GroupResult` as pickled in `celery_tasksetmeta.result`: the
 * ids only (the pickled backend and app are ignored, never rebuilt).
 */

/** `celery.result.AsyncResult(id, backend, task_name, app, parent)`: id and parent. @publicApi */
export class PyAsyncResult {
  constructor(
    /** Task id. */
    readonly id: string,
    /** Parent result, or `null`. */
    readonly parent: PyAsyncResult | PyGroupResult | null = null,
  ) {}
}

/** `celery.result.GroupResult(id, results)`: group id and member results. @publicApi */
export class PyGroupResult {
  constructor(
    /** Group id. */
    readonly id: string,
    /** Members in order (nested groups allowed). */
    readonly results: readonly (PyAsyncResult | PyGroupResult)[],
  ) {}
}

/** A pickled `AsyncResult`/`GroupResult` argument as a result node, else `null`. @internal */
export function asCeleryResult(
  value: unknown,
): PyAsyncResult | PyGroupResult | null {
  return value instanceof PyAsyncResult || value instanceof PyGroupResult
    ? value
    : null;
}

/** Builders for the reader's allow-list. @internal */
export const CELERY_RESULT_BUILDERS: Readonly<
  Record<string, (args: readonly unknown[]) => unknown>
> = {
  'celery.result.AsyncResult': (a) =>
    typeof a[0] === 'string'
      ? new PyAsyncResult(a[0], asCeleryResult(a[4]))
      : undefined,
  'celery.result.GroupResult': (a) =>
    typeof a[0] === 'string' &&
    Array.isArray(a[1]) &&
    (a[1] as unknown[]).every((r) => asCeleryResult(r))
      ? new PyGroupResult(a[0], a[1] as (PyAsyncResult | PyGroupResult)[])
      : undefined,
};
