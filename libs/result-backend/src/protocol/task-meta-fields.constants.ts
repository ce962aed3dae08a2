/**
 * The extended-result fields (Celery's `result_extended`), in the order Celery writes them;
 * also the extra columns of its database tables. @internal
 */
export const EXTENDED_META_FIELDS = [
  'name',
  'args',
  'kwargs',
  'worker',
  'retries',
  'queue',
] as const;

/** Fields with a fixed place in the document; `extra` cannot override them. @internal */
export const KNOWN_META_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'result',
  'traceback',
  'children',
  'date_done',
  'group_id',
  'parent_id',
  ...EXTENDED_META_FIELDS,
  'task_id',
]);
