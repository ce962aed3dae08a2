import { Injectable, Logger, type MessageEvent } from '@nestjs/common';
import {
  ResultBackendService,
  ResultTimeoutError,
  TaskStates,
} from 'nestjs-celery-result-backend';
import {
  isPropagateState,
  isReadyState,
} from 'nestjs-celery-result-backend/codec';
import {
  resultBackendErrorResponse,
  taskEvents,
  taskMetaView,
  type TaskMetaView,
} from 'nestjs-celery-result-backend/http';
import type { Observable } from 'rxjs';

/** Body of `GET /tasks/:id/result`: the result (200) or the current state (202). */
export interface TaskResultView {
  readonly taskId: string;
  readonly status: string;
  /** True with the final result (200); false when still not ready at the timeout (202). */
  readonly ready: boolean;
  /** The return value (200), or the current result/progress meta (202). */
  readonly result: unknown;
  /** Why it is not ready (202 only). */
  readonly message?: string;
}

/**
 * The HTTP face of the result backend: metas, long-poll, SSE stream, forget. Open streams and
 * long-polls end on shutdown by themselves: the library fails their watches with
 * `ResultBackendClosedError` (503) in `beforeApplicationShutdown`.
 */
@Injectable()
export class TasksService {
  private readonly logger = new Logger(TasksService.name);

  constructor(private readonly results: ResultBackendService) {}

  /** The task's meta (PENDING when unknown). */
  async meta(taskId: string): Promise<TaskMetaView> {
    return taskMetaView(await this.results.getTaskMeta(taskId));
  }

  /**
   * Wait up to `timeoutMs` for the result. Resolves `ready: true` on SUCCESS, `ready: false`
   * with the current state at the timeout; rejects with `TaskFailedError`/`TaskRevokedError`
   * for FAILURE/REVOKED (answered 422/410 by the exception filter). `signal` aborts the wait
   * when the client goes away.
   */
  async result(
    taskId: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<TaskResultView> {
    // one read first: a store that is down or a malformed document fails fast (503/502)
    let meta = await this.results.reloadTaskResult(taskId);
    if (!isReadyState(meta.status) && timeoutMs > 0) {
      try {
        const result = await this.results.waitFor(taskId, {
          timeout: timeoutMs,
          signal,
        });
        return { taskId, status: TaskStates.SUCCESS, ready: true, result };
      } catch (err) {
        if (!(err instanceof ResultTimeoutError)) throw err;
      }
      meta = await this.results.reloadTaskResult(taskId);
    }
    if (meta.status === TaskStates.SUCCESS) {
      return { taskId, status: meta.status, ready: true, result: meta.result };
    }
    if (meta.error && isPropagateState(meta.status)) throw meta.error;
    return {
      taskId,
      status: meta.status,
      ready: false,
      result: meta.result,
      message: `Task ${taskId} is not ready after ${timeoutMs / 1000} s (state ${meta.status})`,
    };
  }

  /**
   * One SSE message per state change (data: the meta as JSON), completing after a ready
   * state. The first read happens before the stream opens, so a bad id or a store that is
   * down gets a plain HTTP error; a later error (shutdown included) becomes one `error`
   * event, then the stream ends.
   */
  async events(taskId: string): Promise<Observable<MessageEvent>> {
    await this.results.getTaskMeta(taskId);
    return taskEvents(this.results.watch(taskId), {
      onError: (err) => {
        const { status, body } = resultBackendErrorResponse(err);
        this.logger.warn(
          `Event stream of task ${taskId} ended with an error (${status}): ${String(body.message)}`,
        );
      },
    });
  }

  /** Delete the task's result. */
  forget(taskId: string): Promise<void> {
    return this.results.forget(taskId);
  }
}
