/**
 * Writing task meta documents byte-identical to Celery 5.2.6 to 5.6.3 (field order of spec
 * §4.1; value and `date_done` forms of the target Celery version).
 */
import {
  stringifyCeleryJsonAt,
  quotePythonString,
} from './celery-json.encoder.js';
import {
  formatDateDoneFor,
  writesEnvelopes,
  type CeleryVersion,
} from './celery-version.js';
import { toStoredExceptionResult } from './exception-dict.encoder.js';
import { encodeResultTuple } from './result-tuple.js';
import { isReadyState } from './states.js';
import type { TaskMetaInput } from './task-meta.js';
import { KNOWN_META_FIELDS } from './task-meta-fields.constants.js';

/** Options of {@link encodeTaskMeta}. @publicApi */
export interface EncodeTaskMetaOptions {
  /**
   * The Celery version whose forms to write (values and `date_done`). Default `5.2` here
   * (the module's `celeryVersion` setting defaults to the newest).
   */
  readonly celeryVersion?: CeleryVersion;
  /** IANA zone of Celery's `timezone` setting, for 5.5+ `date_done`. Default `UTC`. */
  readonly timezone?: string;
  /** Write kombu ≥ 5.3 envelopes. Default: whether `celeryVersion` does (5.3+). */
  readonly kombuTagged?: boolean;
}

function dateDoneValue(
  input: TaskMetaInput,
  options: EncodeTaskMetaOptions | undefined,
): string | null {
  if (input.dateDoneRaw !== undefined) return input.dateDoneRaw;
  const date =
    input.dateDone !== undefined
      ? input.dateDone
      : isReadyState(input.status)
        ? new Date()
        : null;
  if (date === null) return null;
  return formatDateDoneFor(
    date,
    options?.celeryVersion ?? '5.2',
    options?.timezone,
  );
}

/**
 * Encode a task meta document as Celery writes it: `status, result, traceback,
 * children, date_done, [group_id], [parent_id], [name, args, kwargs, worker, retries, queue
 * when request is given], [extra…], task_id`. Missing request fields are written as `null`,
 * as Celery does. For FAILURE, RETRY and REVOKED the result goes through
 * `toStoredExceptionResult` (errors and other values become exception dicts Celery reads).
 * Values are written in the forms of `options.celeryVersion` (see `stringifyCeleryJson`).
 * Throws a `TypeError` when a value cannot be JSON encoded, a `JsonDepthError` when the
 * document would nest deeper than `MAX_JSON_DEPTH` (the meta object is level 1), and an
 * `EnvelopeShapedValueError` (path from the field name, e.g. `result.items[0]`) for a plain
 * object Celery 5.3+ would read as a kombu envelope.
 * @publicApi
 */
export function encodeTaskMeta(
  input: TaskMetaInput,
  options?: EncodeTaskMetaOptions,
): string {
  const kombuTagged =
    options?.kombuTagged ?? writesEnvelopes(options?.celeryVersion ?? '5.2');
  const write = (value: unknown, path: string): string =>
    stringifyCeleryJsonAt(value, 1, { kombuTagged, path });
  const result = toStoredExceptionResult(input.status, input.result);
  const children = input.children
    ? input.children.map((c) => encodeResultTuple(c))
    : null;
  const fields: [string, string][] = [
    ['status', quotePythonString(input.status)],
    ['result', write(result, 'result')],
    ['traceback', write(input.traceback ?? null, 'traceback')],
    ['children', write(children, 'children')],
    ['date_done', write(dateDoneValue(input, options), 'date_done')],
  ];
  if (input.groupId)
    fields.push(['group_id', write(input.groupId, 'group_id')]);
  if (input.parentId)
    fields.push(['parent_id', write(input.parentId, 'parent_id')]);
  const request = input.request;
  if (request) {
    fields.push(
      ['name', write(request.name ?? null, 'name')],
      ['args', write(request.args ?? null, 'args')],
      ['kwargs', write(request.kwargs ?? null, 'kwargs')],
      ['worker', write(request.worker ?? null, 'worker')],
      ['retries', write(request.retries ?? null, 'retries')],
      ['queue', write(request.queue ?? null, 'queue')],
    );
  }
  for (const [key, value] of Object.entries(input.extra ?? {})) {
    if (!KNOWN_META_FIELDS.has(key) && value !== undefined)
      fields.push([key, write(value, key)]);
  }
  fields.push(['task_id', quotePythonString(input.taskId)]);
  return `{${fields.map(([k, v]) => `${quotePythonString(k)}: ${v}`).join(', ')}}`;
}
