import { ResultBackendError } from './result-backend.error.js';

/**
 * A watch, wait or join was still open when the backend closed: the app is shutting down
 * (`beforeApplicationShutdown`) or `close()` was called. Answered 503 by
 * `ResultBackendExceptionFilter`; new waits started after shutdown began fail with it at once.
 * @publicApi
 */
export class ResultBackendClosedError extends ResultBackendError {
  constructor(
    /** Instance name (`default` unless named). */
    readonly instance = 'default',
  ) {
    super(`Result backend ${instance} is shutting down`);
  }
}
