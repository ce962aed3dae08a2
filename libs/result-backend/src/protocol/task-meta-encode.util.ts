/**
 * Writing task meta documents byte-identical to Celery 5.2.6 (field order of spec §4.1).
 */
import {
  stringifyCeleryJsonAt,
  quotePythonString,
} from './celery-json-stringify.util.js';
import { formatDateDone } from './date-done.js';
import { toStoredExceptionResult } from './exception-dict.util.js';
import { encodeResultTuple } from './result-tuple.js';
import { isReadyState } from './states.js';
import type { TaskMetaInput } from './task-meta.js';
import { KNOWN_META_FIELDS } from './task-meta-fields.constants.js';

/** Options of {@link encodeTaskMeta}. @publicApi */
export interface EncodeTaskMetaOptions {
  /** Write dates as kombu ≥ 5.3 `__type__` envelopes. Default false. */
  readonly kombuTagged?: boolean;
}

function dateDoneValue(input: TaskMetaInput): string | null {
  if (input.dateDoneRaw !== undefined) return input.dateDoneRaw;
  if (input.dateDone !== undefined)
    return input.dateDone === null ? null : formatDateDone(input.dateDone);
  return isReadyState(input.status) ? formatDateDone(new Date()) : null;
}

/**
 * Encode a task meta document as Celery 5.2.6 writes it: `status, result, traceback,
 * children, date_done, [group_id], [parent_id], [name, args, kwargs, worker, retries, queue
 * when request is given], [extra…], task_id`. Missing request fields are written as `null`,
 * as Celery does. For FAILURE, RETRY and REVOKED the result goes through
 * `toStoredExceptionResult` (errors and other values become exception dicts Celery reads).
 * Throws a `TypeError` when a value cannot be JSON encoded, and a `JsonDepthError` when the
 * document would nest deeper than `MAX_JSON_DEPTH` (the meta object is level 1).
 * @publicApi
 */
export function encodeTaskMeta(
  input: TaskMetaInput,
  options?: EncodeTaskMetaOptions,
): string {
  const write = (value: unknown): string =>
    stringifyCeleryJsonAt(value, 1, options);
  const result = toStoredExceptionResult(input.status, input.result);
  const children = input.children
    ? input.children.map((c) => encodeResultTuple(c))
    : null;
  const fields: [string, string][] = [
    ['status', quotePythonString(input.status)],
    ['result', write(result)],
    ['traceback', write(input.traceback ?? null)],
    ['children', write(children)],
    ['date_done', write(dateDoneValue(input))],
  ];
  if (input.groupId) fields.push(['group_id', write(input.groupId)]);
  if (input.parentId) fields.push(['parent_id', write(input.parentId)]);
  const request = input.request;
  if (request) {
    fields.push(
      ['name', write(request.name ?? null)],
      ['args', write(request.args ?? null)],
      ['kwargs', write(request.kwargs ?? null)],
      ['worker', write(request.worker ?? null)],
      ['retries', write(request.retries ?? null)],
      ['queue', write(request.queue ?? null)],
    );
  }
  for (const [key, value] of Object.entries(input.extra ?? {})) {
    if (!KNOWN_META_FIELDS.has(key) && value !== undefined)
      fields.push([key, write(value)]);
  }
  fields.push(['task_id', quotePythonString(input.taskId)]);
  return `{${fields.map(([k, v]) => `${quotePythonString(k)}: ${v}`).join(', ')}}`;
}
