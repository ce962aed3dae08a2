import { ResultBackendError } from './result-backend.error.js';

/**
 * A chord cannot complete (Celery's `celery.exceptions.ChordError`), e.g. its saved
 * GroupResult no longer exists.
 * @publicApi
 */
export class ChordError extends ResultBackendError {
  constructor(
    readonly groupId: string,
    reason: string,
  ) {
    super(`Chord ${groupId}: ${reason}`);
  }
}
