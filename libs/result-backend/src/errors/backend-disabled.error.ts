import { ResultBackendError } from './result-backend.error.js';

/**
 * Every call on a `disabled://` backend (or none configured) fails with this, like Celery's
 * `DisabledBackend`.
 * @publicApi
 */
export class BackendDisabledError extends ResultBackendError {
  constructor(operation: string) {
    super(
      `No result backend is configured (${operation}). Set CELERY_RESULT_BACKEND or the \`url\` option, e.g. redis://localhost:6379/0`,
    );
  }
}
