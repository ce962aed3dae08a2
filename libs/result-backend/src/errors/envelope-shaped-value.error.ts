import { ResultBackendError } from './result-backend.error.js';

/**
 * A value to write holds a plain object whose keys are exactly `__type__` and `__value__`.
 * kombu ≥ 5.3 (Celery 5.3+) would read it as a type envelope: an unknown type makes the whole
 * document unreadable (`DecodeError`), a known one silently changes the value. Refused for
 * every target Celery version; nothing was written. Use the typed values (`PyDateTime`,
 * `PyDecimal`, …) to write real envelopes.
 * @publicApi
 */
export class EnvelopeShapedValueError extends ResultBackendError {
  constructor(
    /** Where the object is inside the written value, e.g. `result.items[2]`. */
    readonly path: string,
  ) {
    super(
      `Refusing to write ${path}: a plain object with exactly the keys "__type__" and "__value__" would be read by Celery as a kombu type envelope`,
    );
  }
}
