import type { RemoteTaskError } from '../errors/remote-task.error.js';
import type { ResultNode } from '../protocol/result-tuple.js';
import type { TaskMeta, TaskMetaExtended } from '../protocol/task-meta.js';

/** The Python exception of a failed, retried or revoked task, as JSON. @publicApi */
export interface ExceptionView {
  /** Python type, e.g. `ValueError` or `celery.exceptions.TaskRevokedError`'s `TaskRevokedError`. */
  readonly type: string;
  /** Python module (`builtins`, `celery.exceptions` …) or null. */
  readonly module: string | null;
  /** `Type(args)`, as Python prints it. */
  readonly message: string;
  /** The exception args, exactly as stored. */
  readonly args: readonly unknown[];
}

/**
 * A task's meta as JSON, safe to return from a controller: the fields of Celery's
 * `celery-task-meta-<id>` document in camelCase, without the stored text (`raw`), the stored
 * key order (`keys`), the verbatim date (`dateDoneRaw`), unknown fields (`extra`) or error
 * objects. Optional fields are present only when stored (Celery's `result_extended`).
 * @publicApi
 */
export interface TaskMetaView extends TaskMetaExtended {
  /** The task id. */
  readonly taskId: string;
  /** Celery state: PENDING, STARTED, RETRY, FAILURE, SUCCESS, REVOKED or a custom one. */
  readonly status: string;
  /** Return value, progress meta, or the stored exception dict for exception states. */
  readonly result: unknown;
  /** Python traceback text of a failure, or null. */
  readonly traceback: string | null;
  /** Child task ids (with their own children for groups), or null. */
  readonly children: readonly ChildView[] | null;
  /** ISO date the task became ready, or null. */
  readonly dateDone: string | null;
  /** The exception of FAILURE, RETRY and REVOKED states. */
  readonly exception?: ExceptionView;
}

/** A child result reference (with the children of a group). @publicApi */
export interface ChildView {
  /** Task or group id. */
  readonly id: string;
  /** Members, for a group. */
  readonly children?: readonly ChildView[];
}

/** The JSON form of a task's exception. @publicApi */
export function exceptionView(error: RemoteTaskError): ExceptionView {
  return {
    type: error.excType,
    module: error.excModule,
    message: error.message,
    args: error.excArgs,
  };
}

/**
 * The JSON view of a decoded meta ({@link TaskMetaView}): no raw text, no internal fields.
 * @example
 * \@Get(':id') async meta(\@Param('id') id: string): Promise<TaskMetaView> {
 *   return taskMetaView(await this.results.getTaskMeta(id));
 * }
 * @publicApi
 */
export function taskMetaView(meta: TaskMeta): TaskMetaView {
  return {
    taskId: meta.taskId,
    status: meta.status,
    result: meta.result,
    traceback: meta.traceback,
    children: meta.children ? meta.children.map(childView) : null,
    dateDone: meta.dateDone ? meta.dateDone.toISOString() : null,
    ...(meta.error ? { exception: exceptionView(meta.error) } : {}),
    ...optional(meta),
  };
}

function childView(node: ResultNode): ChildView {
  return node.children
    ? { id: node.id, children: node.children.map(childView) }
    : { id: node.id };
}

function optional(meta: TaskMeta): Partial<TaskMetaView> {
  const { groupId, parentId, name, args, kwargs, worker, retries, queue } =
    meta;
  const fields = {
    groupId,
    parentId,
    name,
    args,
    kwargs,
    worker,
    retries,
    queue,
  };
  // only the fields stored (Celery's result_extended): no `undefined` keys
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  );
}
