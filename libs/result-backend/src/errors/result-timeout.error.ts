import { ResultBackendError } from './result-backend.error.js';

/**
 * No ready result within the timeout (Celery's `TimeoutError("The operation timed out.")`).
 * @publicApi
 */
export class ResultTimeoutError extends ResultBackendError {
  constructor(
    /** The task ids still not ready. */
    readonly taskIds: readonly string[],
    /** The timeout that ran out, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(
      `The operation timed out after ${timeoutMs} ms waiting for ${
        taskIds.length === 1 ? `task ${taskIds[0]}` : `${taskIds.length} tasks`
      }`,
    );
  }
}
