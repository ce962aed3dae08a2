import { redactDriverError } from './driver-error.redactor.js';
import { ResultBackendError } from './result-backend.error.js';

/**
 * The store could not be reached or refused the request (connection lost, missing bucket,
 * permission denied). `description` is the masked connection description; `cause` is the
 * underlying error when there is one (e.g. the last connection error, `ECONNREFUSED`), with the
 * credentials a driver attached to it removed (ioredis' `command.args` of a refused `AUTH`).
 * @publicApi
 */
export class BackendUnavailableError extends ResultBackendError {
  /**
   * True when retrying cannot help: the server refused the configuration (Redis: wrong user
   * name or password, `NOPERM`, database number out of range). Such calls fail at once.
   */
  readonly permanent: boolean;

  constructor(
    readonly description: string,
    reason: string,
    options?: { cause?: unknown; permanent?: boolean },
  ) {
    super(
      `Result backend ${description} unavailable: ${reason}`,
      options && 'cause' in options
        ? { cause: redactDriverError(options.cause) }
        : undefined,
    );
    this.permanent = options?.permanent ?? false;
  }
}
