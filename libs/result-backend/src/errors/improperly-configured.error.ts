import { ResultBackendError } from './result-backend.error.js';

/**
 * Bad or missing configuration, raised at startup. The message names the setting and shows
 * a valid example; it never contains a password.
 * @publicApi
 */
export class ImproperlyConfiguredError extends ResultBackendError {
  constructor(
    /** The setting at fault, e.g. `CELERY_RESULT_BACKEND` or `s3Bucket`. */
    readonly setting: string,
    problem: string,
    /** A valid example value for the setting. */
    readonly example?: string,
  ) {
    super(
      `${setting}: ${problem}${example ? ` (for example: ${example})` : ''}`,
    );
  }
}
