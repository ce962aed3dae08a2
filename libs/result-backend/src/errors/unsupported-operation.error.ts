import { ResultBackendError } from './result-backend.error.js';

/**
 * The store cannot do this operation (for example `incr` on S3 or the filesystem).
 * @publicApi
 */
export class UnsupportedOperationError extends ResultBackendError {
  constructor(
    readonly operation: string,
    readonly kind: string,
  ) {
    super(`${operation} is not supported by the ${kind} result store`);
  }
}
