import { ResultBackendError } from './result-backend.error.js';

/**
 * The store could not be reached or refused the request (connection lost, missing bucket,
 * permission denied). `description` is the masked connection description.
 * @publicApi
 */
export class BackendUnavailableError extends ResultBackendError {
  constructor(
    readonly description: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Result backend ${description} unavailable: ${reason}`, options);
  }
}
