import { DEFAULT_RESULT_BACKEND_NAME } from './result-backend.constants.js';
import { ResultBackendService } from './result-backend.service.js';

/**
 * Injection token of a result backend instance: the `ResultBackendService` class for the
 * default instance, a string token for named ones.
 * @publicApi
 */
export function getResultBackendToken(
  name?: string,
): string | typeof ResultBackendService {
  return !name || name === DEFAULT_RESULT_BACKEND_NAME
    ? ResultBackendService
    : `ResultBackendService:${name}`;
}
