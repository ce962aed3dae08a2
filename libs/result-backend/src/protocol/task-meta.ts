/**
 * The task meta document stored under `celery-task-meta-<id>` (spec §4): its decoded form,
 * the writer input, and the codec functions.
 */
import type { RemoteTaskError } from '../errors/remote-task.error.js';
import type { ResultNode } from './result-tuple.js';
import type { TaskStatus } from './states.js';

/**
 * The optional fields of a stored task meta, each present only when stored with the expected
 * type: the group and parent ids, and Celery's `result_extended` fields.
 * @publicApi
 */
export interface TaskMetaExtended {
  /** Id of the group the task belongs to. */
  readonly groupId?: string;
  /** Id of the task that called this one. */
  readonly parentId?: string;
  /** Task name, e.g. `proj.tasks.add`. */
  readonly name?: string;
  /** Positional arguments. */
  readonly args?: readonly unknown[];
  /** Keyword arguments. */
  readonly kwargs?: Readonly<Record<string, unknown>>;
  /** Hostname of the worker that ran it. */
  readonly worker?: string;
  /** Number of retries so far. */
  readonly retries?: number;
  /** Queue the task was delivered on. */
  readonly queue?: string | null;
}

/** A decoded task meta document. @publicApi */
export interface TaskMeta<T = unknown> extends TaskMetaExtended {
  readonly taskId: string;
  readonly status: TaskStatus;
  /** The decoded JSON value as stored (the exception DICT for exception states). */
  readonly result: T | null;
  /** Rebuilt for EXCEPTION states (FAILURE, RETRY, REVOKED) from the stored dict. */
  readonly error: RemoteTaskError | null;
  readonly traceback: string | null;
  /** Result tuples of subtasks; `null` when stored as null (written outside a worker). */
  readonly children: readonly ResultNode[] | null;
  readonly dateDone: Date | null;
  /** `date_done` exactly as stored (microseconds and offset kept). */
  readonly dateDoneRaw: string | null;
  /** Unknown fields in stored order, e.g. Celery 5.3+ `stamped_headers` and stamps. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** The document's keys in stored order (`["status", "result"]` for PENDING, like Celery). */
  readonly keys: readonly string[];
  /** The stored text; `null` when missing. */
  readonly raw: string | null;
}

/** Extended request fields (Celery `result_extended`), written only when given. @publicApi */
export interface TaskMetaRequest {
  name?: string;
  args?: readonly unknown[];
  kwargs?: Record<string, unknown>;
  worker?: string;
  retries?: number;
  queue?: string | null;
}

/** What {@link encodeTaskMeta} writes. @publicApi */
export interface TaskMetaInput {
  taskId: string;
  status: TaskStatus;
  /** The result; an `Error` for an exception state is stored as its exception dict. */
  result?: unknown;
  traceback?: string | null;
  /** `undefined` writes `null`, like `store_result` outside a worker. */
  children?: readonly ResultNode[] | null;
  /** Default: now for READY states, else `null`. */
  dateDone?: Date | null;
  /** Exact `date_done` text to write (wins over `dateDone`), e.g. to copy a document verbatim. */
  dateDoneRaw?: string | null;
  groupId?: string;
  parentId?: string;
  request?: TaskMetaRequest;
  /** Further fields, written after the extended ones and before `task_id`. */
  extra?: Record<string, unknown>;
}
