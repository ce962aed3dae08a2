import { ResultBackendError } from './result-backend.error.js';

/**
 * A JSON value nested deeper than the library's one depth limit (`MAX_JSON_DEPTH`, 1000
 * arrays/objects counted from the top of the document). Thrown by the JSON writer before
 * anything is stored, and by the JSON reader; reading a stored result wraps it in a
 * `MalformedResultError` (its `cause`). The limit does not depend on the call stack.
 * @publicApi
 */
export class JsonDepthError extends ResultBackendError {
  constructor(
    /** The limit that was exceeded, in nesting levels. */
    readonly limit: number,
    /** `parse` when reading stored text, `stringify` when encoding a value to write. */
    readonly operation: 'parse' | 'stringify',
  ) {
    super(
      operation === 'parse'
        ? `JSON nested deeper than ${limit} levels`
        : `Value nested deeper than ${limit} levels cannot be written as JSON`,
    );
  }
}
