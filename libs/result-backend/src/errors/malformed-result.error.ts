import { ResultBackendError } from './result-backend.error.js';

/**
 * A stored document that is not a Celery result: bad JSON, not an object, a missing status,
 * a kombu envelope of an unknown type, or a content type we do not accept. The stored value
 * is left untouched.
 * @publicApi
 */
export class MalformedResultError extends ResultBackendError {
  constructor(
    /** The store key that held it. */
    readonly key: string,
    /** What is wrong with it. */
    readonly reason: string,
    /** The first 200 characters of the stored text. */
    readonly excerpt?: string,
    options?: { cause?: unknown },
  ) {
    super(`Malformed result under ${key}: ${reason}`, options);
  }
}
