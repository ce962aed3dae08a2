/**
 * Base class of every error this library throws, so callers can catch them all at once.
 * @publicApi
 */
export class ResultBackendError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
