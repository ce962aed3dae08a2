/** Fields with a fixed place in the document; `extra` cannot override them. @internal */
export const KNOWN_META_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'result',
  'traceback',
  'children',
  'date_done',
  'group_id',
  'parent_id',
  'name',
  'args',
  'kwargs',
  'worker',
  'retries',
  'queue',
  'task_id',
]);
