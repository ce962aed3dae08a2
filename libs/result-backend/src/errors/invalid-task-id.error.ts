import { ResultBackendError } from './result-backend.error.js';

/**
 * A task or group id that cannot be used safely: empty, too long, with NUL or control
 * characters, or (for the filesystem store) a path separator or `..`.
 * @publicApi
 */
export class InvalidTaskIdError extends ResultBackendError {
  constructor(
    /** The id, cut to 100 characters for display. */
    readonly id: string,
    /** Why it was refused. */
    readonly reason: string,
  ) {
    super(`Invalid task id ${JSON.stringify(id.slice(0, 100))}: ${reason}`);
  }
}
