import type { RemoteTaskError, TaskMeta } from '@app/result-backend';
import type { ResultNode } from '@app/result-backend/codec';

/** The Python exception of a failed or revoked task, as the API shows it. */
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

/** A task's meta as JSON (the fields of Celery's `celery-task-meta-<id>` document). */
export interface TaskMetaView {
  readonly taskId: string;
  readonly status: string;
  /** Return value, progress meta, or the stored exception dict for exception states. */
  readonly result: unknown;
  readonly traceback: string | null;
  /** Child task ids (with their own children for groups), or null. */
  readonly children: readonly ChildView[] | null;
  /** ISO date the task became ready, or null. */
  readonly dateDone: string | null;
  /** The exception of FAILURE, RETRY and REVOKED states. */
  readonly exception?: ExceptionView;
  readonly groupId?: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly args?: readonly unknown[];
  readonly kwargs?: Readonly<Record<string, unknown>>;
  readonly worker?: string;
  readonly retries?: number;
  readonly queue?: string | null;
}

/** A child result reference. */
export interface ChildView {
  readonly id: string;
  readonly children?: readonly ChildView[];
}

/** The exception part of a response. */
export function exceptionView(error: RemoteTaskError): ExceptionView {
  return {
    type: error.excType,
    module: error.excModule,
    message: error.message,
    args: error.excArgs,
  };
}

/** JSON view of a decoded meta (no raw text, no internal fields). */
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
  // undefined fields are left out by JSON.stringify
  return { groupId, parentId, name, args, kwargs, worker, retries, queue };
}
