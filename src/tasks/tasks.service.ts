import {
  HttpStatus,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type MessageEvent,
} from '@nestjs/common';
import {
  ResultBackendService,
  ResultTimeoutError,
  TaskStates,
} from '@app/result-backend';
import { isPropagateState, isReadyState } from '@app/result-backend/codec';
import {
  EMPTY,
  Subject,
  catchError,
  concat,
  defer,
  map,
  of,
  takeUntil,
  type Observable,
} from 'rxjs';
import { errorResponse } from '../common/error-response.util.js';
import { taskMetaView, type TaskMetaView } from '../common/task-meta.view.js';

/** Last event of a stream cut by shutdown. */
const SHUTDOWN_EVENT: MessageEvent = {
  type: 'error',
  data: {
    statusCode: HttpStatus.SERVICE_UNAVAILABLE,
    error: 'Service Unavailable',
    message: 'The server is shutting down',
  },
};

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

/** The HTTP face of the result backend: metas, long-poll, SSE stream, forget. */
@Injectable()
export class TasksService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TasksService.name);
  private readonly shutdown$ = new Subject<void>();
  private closing = false;

  constructor(private readonly results: ResultBackendService) {}

  /** The task's meta (PENDING when unknown). */
  async meta(taskId: string): Promise<TaskMetaView> {
    return taskMetaView(await this.results.getTaskMeta(taskId));
  }

  /**
   * Wait up to `timeoutMs` for the result. Resolves `ready: true` on SUCCESS, `ready: false`
   * with the current state at the timeout; rejects with `TaskFailedError`/`TaskRevokedError`
   * for FAILURE/REVOKED (answered 422/410 by the exception filter).
   */
  async result(taskId: string, timeoutMs: number): Promise<TaskResultView> {
    // one read first: a store that is down or a malformed document fails fast (503/502)
    let meta = await this.results.reloadTaskResult(taskId);
    if (!isReadyState(meta.status) && timeoutMs > 0) {
      try {
        const result = await this.results.waitFor(taskId, {
          timeout: timeoutMs,
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
   * down gets a plain HTTP error; a later error becomes one `error` event, then the stream ends.
   */
  async events(taskId: string): Promise<Observable<MessageEvent>> {
    await this.results.getTaskMeta(taskId);
    let seq = 0;
    let ended = false; // a ready state or an error event was sent
    const changes = this.results.watch(taskId).pipe(
      map((meta): MessageEvent => {
        ended = isReadyState(meta.status);
        return { id: String(++seq), data: taskMetaView(meta) };
      }),
      catchError((err: unknown) => {
        ended = true;
        const { status, body } = errorResponse(err);
        this.logger.warn(
          `Event stream of task ${taskId} ended with an error (${status}): ${String(body.message)}`,
        );
        return of<MessageEvent>({
          id: String(++seq),
          type: 'error',
          data: body,
        });
      }),
      takeUntil(this.shutdown$),
    );
    const goodbye = defer(() =>
      this.closing && !ended
        ? of<MessageEvent>({ id: String(++seq), ...SHUTDOWN_EVENT })
        : EMPTY,
    );
    return concat(changes, goodbye);
  }

  /**
   * End every open event stream before the HTTP server closes (it waits for open
   * connections): each gets a last `error` event (503, shutting down), then ends.
   */
  beforeApplicationShutdown(): void {
    this.closing = true;
    this.shutdown$.next();
    this.shutdown$.complete();
  }

  /** Delete the task's result. */
  forget(taskId: string): Promise<void> {
    return this.results.forget(taskId);
  }
}
