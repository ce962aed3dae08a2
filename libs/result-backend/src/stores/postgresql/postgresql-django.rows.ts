/**
 * Rows of django-celery-results' tables ↔ the library's Celery JSON documents. Its
 * `DatabaseBackend` stores the serializer's output as text: with the JSON serializer
 * (`content_encoding = 'utf-8'`) the result, `meta` (`{"children": […]}`), `task_args` and
 * `task_kwargs` are JSON; with the pickle serializer (`'binary'`) base64 of a pickle, read
 * with the protocol's pickle codec (never executed). Writes are always JSON.
 */
import { MalformedResultError } from '../../errors/malformed-result.error.js';
import {
  decodeKombuEnvelopes,
  encodeResultTuple,
  isExceptionState,
  parseCeleryJson,
  readPickledJson,
  stringifyCeleryJson,
} from '../../protocol/index.js';
import {
  dateDoneParam,
  parseGroupDocument,
  parseTaskDocument,
} from './postgresql.rows.js';

/** Content columns every django-celery-results row has. @internal */
interface DjangoContent {
  content_type: string | null;
  content_encoding: string | null;
  result: string | null;
}

/** A `django_celery_results_taskresult` row as selected (`date_done` as UTC text). @internal */
export interface DjangoTaskRow extends DjangoContent {
  task_id: string;
  status: string | null;
  date_done: string | null;
  traceback: string | null;
  meta: string | null;
  task_name: string | null;
  task_args: string | null;
  task_kwargs: string | null;
  worker: string | null;
  periodic_task_name: string | null;
}

/** A `django_celery_results_groupresult` row as selected. @internal */
export interface DjangoGroupRow extends DjangoContent {
  taskset_id: string;
}

const JSON_TYPE = 'application/json';
const PICKLE_TYPE = 'application/x-python-serialize';

/**
 * `DatabaseBackend.decode_content`: empty → `null`; `binary` → base64 pickle; otherwise
 * JSON. Other serializers (yaml, msgpack) are refused with `MalformedResultError`.
 */
function decodeContent(
  row: DjangoContent,
  text: string | null,
  key: string,
  exceptionState = false,
): unknown {
  if (text === null || text === '') return null;
  const fail = (reason: string, cause?: unknown): MalformedResultError =>
    new MalformedResultError(key, reason, text.slice(0, 200), { cause });
  if (row.content_encoding === 'binary') {
    if (row.content_type !== PICKLE_TYPE)
      throw fail(`unsupported binary content type ${row.content_type}`);
    return readPickledJson(Buffer.from(text, 'base64'), {
      key,
      exceptionState,
    });
  }
  if (row.content_type !== JSON_TYPE && row.content_type !== null)
    throw fail(`unsupported content type ${row.content_type}`);
  try {
    return parseCeleryJson(text);
  } catch (err) {
    throw fail(`not valid JSON (${(err as Error).message})`, err);
  }
}

/** JSON text of a value in kombu ≥ 5.3 forms (typed values as envelopes). */
const json = (value: unknown): string =>
  stringifyCeleryJson(decodeKombuEnvelopes(value), { kombuTagged: true });

/**
 * A task row as the task document Celery's `get_task_meta` builds from it: `status, result,
 * traceback, children (from meta), date_done (aware UTC, always set: Django's auto_now),
 * [name, args, kwargs, worker, periodic_task_name when any is set], task_id`.
 * @internal
 */
export function djangoTaskRowToText(row: DjangoTaskRow, key: string): string {
  const status = row.status ?? 'PENDING';
  const meta = decodeContent(row, row.meta, key);
  const children =
    meta && typeof meta === 'object' && 'children' in meta
      ? meta.children
      : null;
  const fields: [string, unknown][] = [
    ['status', status],
    ['result', decodeContent(row, row.result, key, isExceptionState(status))],
    ['traceback', row.traceback],
    ['children', children],
    [
      'date_done',
      row.date_done === null
        ? null
        : `${row.date_done.replace(' ', 'T')}+00:00`,
    ],
  ];
  const request = [
    row.task_name,
    row.task_args,
    row.task_kwargs,
    row.worker,
    row.periodic_task_name,
  ];
  if (request.some((v) => v !== null))
    fields.push(
      ['name', row.task_name],
      ['args', decodeContent(row, row.task_args, key)],
      ['kwargs', decodeContent(row, row.task_kwargs, key)],
      ['worker', row.worker],
      ['periodic_task_name', row.periodic_task_name],
    );
  fields.push(['task_id', row.task_id]);
  return `{${fields.map(([k, v]) => `"${k}": ${json(v)}`).join(', ')}}`;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A value as a JSON content column (`null`/absent → SQL NULL). */
const jsonColumn = (v: unknown): string | null =>
  v === undefined || v === null ? null : json(v);

/**
 * The parameters of `DjangoSql.upsertTask` for a task document: `[task_id, status,
 * content_type, content_encoding, result, date_done, traceback, meta, task_name, task_args,
 * task_kwargs, worker, periodic_task_name]`, content as the JSON serializer writes it (a
 * `None` result is the text `null`, as `encode_content(None)`). Throws
 * `MalformedResultError` for text that is not a task document.
 * @internal
 */
export function djangoTaskTextToParams(
  taskId: string,
  text: string,
  key: string,
): unknown[] {
  const d = parseTaskDocument(text, key);
  const dateDone = dateDoneParam(d.date_done);
  return [
    taskId,
    d.status,
    JSON_TYPE,
    'utf-8',
    json(d.result ?? null),
    dateDone === null ? null : `${dateDone}+00:00`,
    str(d.traceback),
    json({ children: d.children ?? null }),
    str(d.name),
    jsonColumn(d.args),
    jsonColumn(d.kwargs),
    str(d.worker),
    str(d.periodic_task_name),
  ];
}

/** A group row as the group document (`{"result": <as_tuple()>}`). @internal */
export function djangoGroupRowToText(row: DjangoGroupRow, key: string): string {
  const value = decodeContent(row, row.result, key);
  return `{"result": ${json(value)}}`;
}

/** `[group_id, content_type, content_encoding, result]` for a group document. @internal */
export function djangoGroupTextToParams(
  groupId: string,
  text: string,
  key: string,
): unknown[] {
  const meta = parseGroupDocument(text, key);
  const tuple = encodeResultTuple({
    id: meta.groupId,
    parent: null,
    children: meta.results,
  });
  return [groupId, JSON_TYPE, 'utf-8', json(tuple)];
}
