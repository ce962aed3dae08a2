/**
 * Rows of Celery's database tables ↔ the library's Celery JSON documents. The `result`
 * columns are pickles (`PickleType`): read with the protocol's pickle codec (never executed),
 * written as protocol-4 pickles Celery's `pickle.loads` reads back.
 */
import { MalformedResultError } from '../../errors/malformed-result.error.js';
import {
  PyAsyncResult,
  PyGroupResult,
  celeryJsonToPython,
  decodeKombuEnvelopes,
  decodeGroupMeta,
  dumpsPickle,
  encodeGroupMeta,
  isExceptionState,
  loadsPickle,
  parseCeleryJson,
  readPickledJson,
  stringifyCeleryJson,
  type GroupMeta,
  type ResultNode,
} from '../../protocol/index.js';
import { mayHoldKombuEnvelope } from '../../protocol/kombu-envelope.decoder.js';

/** A `celery_taskmeta` row as selected (`date_done` as text). @internal */
export interface TaskRow {
  task_id: string;
  status: string | null;
  result: Buffer | null;
  date_done: string | null;
  traceback: string | null;
  name?: string | null;
  args?: Buffer | null;
  kwargs?: Buffer | null;
  worker?: string | null;
  retries?: number | null;
  queue?: string | null;
}

/** A `celery_tasksetmeta` row as selected. @internal */
export interface GroupRow {
  taskset_id: string;
  result: Buffer | null;
  date_done: string | null;
}

/** `args`/`kwargs` bytes: the serializer's JSON (pickle when Celery uses the pickle serializer). */
function decodeArgs(bytes: Buffer | null | undefined, key: string): unknown {
  if (!bytes || bytes.length === 0) return null;
  if (bytes[0] === 0x80) return readPickledJson(bytes, { key, typed: true });
  try {
    const text = bytes.toString('utf8');
    const value = parseCeleryJson(text);
    return mayHoldKombuEnvelope(text) ? decodeKombuEnvelopes(value) : value;
  } catch {
    return null;
  }
}

/**
 * A task row as the JSON document Celery's other backends would hold: `status, result,
 * traceback, children (null: no column), date_done, [name, args, kwargs, worker, retries,
 * queue], task_id`. The stored result is kept as it is (no exception conversion).
 * @internal
 */
export function taskRowToText(
  row: TaskRow,
  key: string,
  extended: boolean,
): string {
  const status = row.status ?? 'PENDING';
  const result =
    row.result === null
      ? null
      : readPickledJson(row.result, {
          key,
          exceptionState: isExceptionState(status),
          typed: true,
        });
  const fields: [string, unknown][] = [
    ['status', status],
    ['result', result],
    ['traceback', row.traceback],
    ['children', null],
    [
      'date_done',
      row.date_done === null ? null : row.date_done.replace(' ', 'T'),
    ],
  ];
  if (extended)
    fields.push(
      ['name', row.name ?? null],
      ['args', decodeArgs(row.args, key)],
      ['kwargs', decodeArgs(row.kwargs, key)],
      ['worker', row.worker ?? null],
      ['retries', row.retries ?? null],
      ['queue', row.queue ?? null],
    );
  fields.push(['task_id', row.task_id]);
  // Typed values (the codec's PyDateTime, PyDecimal, PyUuid…, bytes as Buffer) go out as
  // kombu ≥ 5.3 envelopes, which the reader turns back into the same Py* values.
  const body = fields.map(
    ([k, v]) => `"${k}": ${stringifyCeleryJson(v, { kombuTagged: true })}`,
  );
  return `{${body.join(', ')}}`;
}

const NAIVE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

/** `date_done` text as a naive-UTC timestamp parameter (offsets converted), or `null`. @internal */
export function dateDoneParam(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  if (NAIVE.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, -1);
}

/** The `result` column: envelopes as the codec's typed values, then a protocol-4 pickle. */
function pickleResult(result: unknown, key: string): Buffer {
  let python: unknown;
  try {
    python = celeryJsonToPython(result);
  } catch (err) {
    throw new MalformedResultError(
      key,
      `bad kombu envelope in the result (${(err as Error).message})`,
      '',
      { cause: err },
    );
  }
  return Buffer.from(dumpsPickle(python));
}

function jsonBytes(value: unknown): Buffer | null {
  return value === undefined || value === null
    ? null
    : Buffer.from(stringifyCeleryJson(value));
}

/**
 * A task document written through a SQL store: Celery JSON whose `status` is a string.
 * Throws `MalformedResultError` for anything else.
 * @internal
 */
export function parseTaskDocument(
  text: string,
  key: string,
): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseCeleryJson(text);
  } catch (err) {
    throw new MalformedResultError(key, 'not valid JSON', text.slice(0, 200), {
      cause: err,
    });
  }
  if (
    !doc ||
    typeof doc !== 'object' ||
    typeof (doc as { status?: unknown }).status !== 'string'
  )
    throw new MalformedResultError(
      key,
      'not a task document',
      text.slice(0, 200),
    );
  return doc as Record<string, unknown>;
}

/**
 * The parameters of `PostgresqlSql.upsertTask` for a task document: `[task_id, status,
 * result pickle, date_done, traceback, …extended]`. Throws `MalformedResultError` for text
 * that is not a task document.
 * @internal
 */
export function taskTextToParams(
  taskId: string,
  text: string,
  key: string,
  extended: boolean,
): unknown[] {
  const d = parseTaskDocument(text, key);
  const result = d.result === undefined ? null : d.result;
  const params: unknown[] = [
    taskId,
    d.status,
    result === null ? null : pickleResult(result, key),
    dateDoneParam(d.date_done),
    typeof d.traceback === 'string' ? d.traceback : null,
  ];
  if (extended) {
    params.push(
      typeof d.name === 'string' ? d.name : null,
      jsonBytes(d.args),
      jsonBytes(d.kwargs),
      typeof d.worker === 'string' ? d.worker : null,
      typeof d.retries === 'number' ? d.retries : null,
      typeof d.queue === 'string' ? d.queue : null,
    );
  }
  return params;
}

function toNode(r: PyAsyncResult | PyGroupResult): ResultNode {
  if (r instanceof PyGroupResult)
    return { id: r.id, parent: null, children: r.results.map(toNode) };
  return { id: r.id, parent: r.parent ? toNode(r.parent) : null };
}

/** A group row as the group document (`{"result": [[gid, null], members]}`). @internal */
export function groupRowToText(row: GroupRow, key: string): string {
  const value = row.result === null ? null : loadsPickle(row.result, { key });
  if (!(value instanceof PyGroupResult))
    throw new MalformedResultError(
      key,
      'the saved group is not a pickled celery.result.GroupResult',
      row.result?.subarray(0, 100).toString('hex') ?? 'NULL',
    );
  return encodeGroupMeta(value.id, value.results.map(toNode));
}

function toPy(node: ResultNode): PyAsyncResult | PyGroupResult {
  if (node.children) return new PyGroupResult(node.id, node.children.map(toPy));
  return new PyAsyncResult(node.id, node.parent ? toPy(node.parent) : null);
}

/** A group document written through a SQL store; `MalformedResultError` when empty or bad. @internal */
export function parseGroupDocument(text: string, key: string): GroupMeta {
  const meta = decodeGroupMeta(key, text);
  if (!meta) throw new MalformedResultError(key, 'empty group document', '');
  return meta;
}

/** `[taskset_id, pickled GroupResult, date_done]` for a group document. @internal */
export function groupTextToParams(
  groupId: string,
  text: string,
  key: string,
): unknown[] {
  const meta = parseGroupDocument(text, key);
  const pickle = dumpsPickle(
    new PyGroupResult(meta.groupId, meta.results.map(toPy)),
  );
  return [groupId, Buffer.from(pickle), new Date().toISOString().slice(0, -1)];
}
