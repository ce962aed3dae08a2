/**
 * Writing task meta documents byte-identical to Celery 5.2.6 to 5.6.3 (field order of spec
 * §4.1; value and `date_done` forms of the target Celery version).
 */
import { celeryJsonWriter } from './celery-json.encoder.js';
import {
  formatDateDoneFor,
  writesEnvelopes,
  type CeleryVersion,
} from './celery-version.js';
import { toStoredExceptionResult } from './exception-dict.encoder.js';
import { encodeResultTuple } from './result-tuple.js';
import { quotePythonString } from './python-string.encoder.js';
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
  // One writer for every field; field names are constants, written as literal text.
  const w = celeryJsonWriter(kombuTagged, 1);
  const result = toStoredExceptionResult(input.status, input.result);
  const children = input.children
    ? input.children.map((c) => encodeResultTuple(c))
    : null;
  let out =
    `{"status": ${quotePythonString(input.status)}` +
    `, "result": ${w.field(result, 'result')}` +
    `, "traceback": ${w.field(input.traceback ?? null, 'traceback')}` +
    `, "children": ${w.field(children, 'children')}` +
    `, "date_done": ${w.field(dateDoneValue(input, options), 'date_done')}`;
  if (input.groupId)
    out += `, "group_id": ${w.field(input.groupId, 'group_id')}`;
  if (input.parentId)
    out += `, "parent_id": ${w.field(input.parentId, 'parent_id')}`;
  const request = input.request;
  if (request) {
    out +=
      `, "name": ${w.field(request.name ?? null, 'name')}` +
      `, "args": ${w.field(request.args ?? null, 'args')}` +
      `, "kwargs": ${w.field(request.kwargs ?? null, 'kwargs')}` +
      `, "worker": ${w.field(request.worker ?? null, 'worker')}` +
      `, "retries": ${w.field(request.retries ?? null, 'retries')}` +
      `, "queue": ${w.field(request.queue ?? null, 'queue')}`;
  }
  const extra = input.extra;
  if (extra) {
    for (const key of Object.keys(extra)) {
      const value = extra[key];
      if (!KNOWN_META_FIELDS.has(key) && value !== undefined)
        out += `, ${quotePythonString(key)}: ${w.field(value, key)}`;
    }
  }
  return `${out}, "task_id": ${quotePythonString(input.taskId)}}`;
}
