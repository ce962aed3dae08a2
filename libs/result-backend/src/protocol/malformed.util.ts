/**
 * Building `MalformedResultError`s with the stored excerpt. @internal
 */
import { MalformedResultError } from '../errors/malformed-result.error.js';

/** A `MalformedResultError` for `key` carrying the first 200 characters of `raw`. @internal */
export function malformed(
  key: string,
  reason: string,
  raw: string,
  cause?: unknown,
): MalformedResultError {
  return new MalformedResultError(
    key,
    reason,
    raw.slice(0, 200),
    cause === undefined ? undefined : { cause },
  );
}
