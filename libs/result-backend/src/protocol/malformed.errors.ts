/**
 * Building `MalformedResultError`s with the stored excerpt. @internal
 */
import { MalformedResultError } from '../errors/malformed-result.error.js';
import { parseCeleryJsonNoting } from './celery-json.parser.js';
import { decodeKombuEnvelopesInPlace } from './kombu-envelope.decoder.js';

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

/**
 * Parse a stored document, decoding kombu envelopes into typed values when `decodeEnvelopes`;
 * text that is not JSON, or a bad envelope, is a `MalformedResultError` for `key`.
 * @internal
 */
export function parseStoredJson(
  key: string,
  raw: string,
  decodeEnvelopes: boolean,
): unknown {
  let parsed: { value: unknown; mayHoldEnvelope: boolean };
  try {
    parsed = parseCeleryJsonNoting(raw);
  } catch (err) {
    throw malformed(
      key,
      `not valid JSON (${(err as Error).message})`,
      raw,
      err,
    );
  }
  const value = parsed.value;
  // The parse's own walk saw whether any object may be an envelope: no text search needed.
  if (!decodeEnvelopes || !parsed.mayHoldEnvelope) return value;
  try {
    // The value was parsed just above and is held by no one else.
    return decodeKombuEnvelopesInPlace(value);
  } catch (err) {
    throw malformed(key, (err as Error).message, raw, err);
  }
}
