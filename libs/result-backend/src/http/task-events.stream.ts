import type { MessageEvent } from '@nestjs/common';
import { catchError, map, of, type Observable } from 'rxjs';
import { ResultTimeoutError } from '../errors/result-timeout.error.js';
import type { TaskMeta } from '../protocol/task-meta.js';
import { resultBackendErrorResponse } from './error-response.mapper.js';
import { taskMetaView } from './task-meta.view.js';

/** Options of {@link taskEvents}. @publicApi */
export interface TaskEventsOptions {
  /** Called with the error that ended the stream (before its last event is sent), e.g. to log it. */
  onError?: (error: unknown) => void;
}

/**
 * Server-sent events for `@Sse()` from `watch()`: one default (`message`) event per meta, with
 * a {@link TaskMetaView} as data and ids 1, 2, 3…, completing after a ready state. An error never
 * reaches Nest (which would answer it as a 500): the stream ends with one last event instead,
 * its data the {@link resultBackendErrorResponse} body —
 * `timeout` for `ResultTimeoutError` (202, `ready: false`), else `error` (e.g. 503 with
 * `ResultBackendClosedError` when the app shuts down, 502 for a malformed document).
 * @example
 * \@Sse(':id/events')
 * events(\@Param('id') id: string): Observable<MessageEvent> {
 *   return taskEvents(this.results.watch(id, { timeout: 60_000 }));
 * }
 * @publicApi
 */
export function taskEvents(
  metas: Observable<TaskMeta>,
  options: TaskEventsOptions = {},
): Observable<MessageEvent> {
  let seq = 0;
  return metas.pipe(
    map((meta): MessageEvent => ({
      id: String(++seq),
      data: taskMetaView(meta),
    })),
    catchError((err: unknown) => {
      options.onError?.(err);
      const type = err instanceof ResultTimeoutError ? 'timeout' : 'error';
      const { body } = resultBackendErrorResponse(err);
      return of<MessageEvent>({ id: String(++seq), type, data: body });
    }),
  );
}
