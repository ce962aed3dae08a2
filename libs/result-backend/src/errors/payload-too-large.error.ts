import { ResultBackendError } from './result-backend.error.js';

/**
 * An encoded result larger than the configured or store limit; nothing was written.
 * @publicApi
 */
export class PayloadTooLargeError extends ResultBackendError {
  constructor(
    readonly key: string,
    /** Size of the encoded payload, in bytes. */
    readonly size: number,
    /** The limit that was exceeded, in bytes. */
    readonly limit: number,
  ) {
    super(
      `Result for ${key} is ${size} bytes, over the limit of ${limit} bytes`,
    );
  }
}
