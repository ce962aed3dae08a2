/**
 * Reading task meta documents (spec §4.2): tolerant, never throws for a readable document;
 * anything that is not a Celery result throws a `MalformedResultError`.
 */
import { PY_KEY_ORDER, parseCeleryJson } from './celery-json.parser.js';
import { parseDateDone } from './date-done.js';
import { toRemoteError } from './exceptions.js';
import { TASK_KEY_PREFIX } from './keys.js';
import { malformed, parseStoredJson } from './malformed.errors.js';
import { decodeResultTuple, type ResultNode } from './result-tuple.js';
import type { TaskMeta, TaskMetaExtended } from './task-meta.js';
import { KNOWN_META_FIELDS } from './task-meta-fields.constants.js';

/** Options of {@link decodeTaskMeta}. @publicApi */
export interface DecodeTaskMetaOptions {
  /** Store key named in errors. Default `celery-task-meta-<taskId>`. */
  readonly key?: string;
  /** Decode kombu ≥ 5.3 `__type__` envelopes. Default true. */
  readonly decodeEnvelopes?: boolean;
}

type Doc = Record<string, unknown>;

/** The meta of a task with no stored document: PENDING, as Celery reports it. @publicApi */
export function pendingMeta(taskId: string): TaskMeta<never> {
  return {
    taskId,
    status: 'PENDING',
    result: null,
    error: null,
    traceback: null,
    children: null,
    dateDone: null,
    dateDoneRaw: null,
    keys: ['status', 'result'],
    raw: null,
  };
}

/** Keys in stored order (the parser records it when JS would reorder them). */
function storedKeys(doc: Doc): string[] {
  const order = (doc as { [PY_KEY_ORDER]?: unknown })[PY_KEY_ORDER];
  return Array.isArray(order)
    ? (order as string[]).filter((k) => Object.hasOwn(doc, k))
    : Object.keys(doc);
}

/** `children` decoded; entries that are not result tuples are skipped, a non-list gives null. */
function decodeChildren(value: unknown): ResultNode[] | null {
  if (!Array.isArray(value)) return null;
  const out: ResultNode[] = [];
  for (const item of value as unknown[]) {
    try {
      out.push(decodeResultTuple(item));
    } catch {
      // Not a result tuple: ignored, as it cannot reference a result. `raw` still has it.
    }
  }
  return out;
}

function isRecord(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** Adds the optional extended fields, each only when it has the expected type. */
function addExtendedFields(out: Writable<TaskMetaExtended>, doc: Doc): void {
  if (typeof doc.group_id === 'string') out.groupId = doc.group_id;
  if (typeof doc.parent_id === 'string') out.parentId = doc.parent_id;
  if (typeof doc.name === 'string') out.name = doc.name;
  if (Array.isArray(doc.args)) out.args = doc.args as unknown[];
  if (isRecord(doc.kwargs)) out.kwargs = doc.kwargs;
  if (typeof doc.worker === 'string') out.worker = doc.worker;
  if (typeof doc.retries === 'number') out.retries = doc.retries;
  if (typeof doc.queue === 'string' || (doc.queue === null && 'queue' in doc))
    out.queue = doc.queue;
}

/** The fields Celery does not define, in stored order; `undefined` when there are none. */
function extraFields(doc: Doc, keys: readonly string[]): Doc | undefined {
  let extraKeys: string[] | undefined;
  for (const k of keys)
    if (!KNOWN_META_FIELDS.has(k)) (extraKeys ??= []).push(k);
  return extraKeys && Object.fromEntries(extraKeys.map((k) => [k, doc[k]]));
}

/**
 * Decode a stored task document. `null` or `''` (missing key) gives the PENDING meta.
 * Otherwise the text must be JSON (Python dialect: `NaN`, big integers) holding an object
 * with a string `status`, else a `MalformedResultError` (with key, reason and excerpt) is
 * thrown; so is an unknown kombu envelope type. A missing `task_id` falls back to `taskId`.
 * Fields of the wrong type are left out rather than failing the read; `children` entries
 * that are not result tuples are skipped. For exception states, `error` is rebuilt from the
 * stored dict (see `toRemoteError`).
 * @publicApi
 */
export function decodeTaskMeta<T = unknown>(
  taskId: string,
  raw: string | null,
  options?: DecodeTaskMetaOptions,
): TaskMeta<T> {
  if (raw === null || raw === '') return pendingMeta(taskId);
  const key = options?.key ?? TASK_KEY_PREFIX + taskId;
  const parsed = parseStoredJson(key, raw, options?.decodeEnvelopes !== false);
  if (!isRecord(parsed))
    throw malformed(key, 'task meta must be a JSON object', raw);
  const doc = parsed;
  if (typeof doc.status !== 'string')
    throw malformed(key, 'task meta has no string "status"', raw);
  const id = typeof doc.task_id === 'string' ? doc.task_id : taskId;
  const status = doc.status;
  const result = doc.result === undefined ? null : doc.result;
  const traceback = typeof doc.traceback === 'string' ? doc.traceback : null;
  const dateDoneRaw = typeof doc.date_done === 'string' ? doc.date_done : null;
  const keys = storedKeys(doc);
  // Built by assignment (no spread copies), in the same property order as before.
  const meta = {
    taskId: id,
    status,
    result: result as T | null,
    error: toRemoteError(id, status, result, traceback),
    traceback,
    children: decodeChildren(doc.children),
    dateDone: parseDateDone(dateDoneRaw),
    dateDoneRaw,
  } as Writable<TaskMeta<T>>;
  addExtendedFields(meta, doc);
  const extra = extraFields(doc, keys);
  if (extra) meta.extra = extra;
  meta.keys = keys;
  meta.raw = raw;
  return meta;
}

/**
 * True when `raw` is a task document with status SUCCESS (Celery's write guard: SUCCESS is
 * final). Malformed or missing documents give false. Celery writes `status` first, so the
 * common case is a prefix check without parsing.
 * @publicApi
 */
export function isSuccessDocument(raw: string | null): boolean {
  if (!raw) return false;
  if (raw.startsWith('{"status": "SUCCESS"')) {
    const next = raw.charAt(20);
    if (next === ',' || next === '}') return true;
  }
  try {
    const doc = parseCeleryJson(raw);
    return isRecord(doc) && doc.status === 'SUCCESS';
  } catch {
    return false;
  }
}
