/**
 * Keys and values as memcached and pylibmc see them.
 */
import { InvalidTaskIdError } from '../../errors/invalid-task-id.error.js';
import { MalformedResultError } from '../../errors/malformed-result.error.js';

/** Client flags pylibmc gives a `str` value; what we write. @internal */
export const PYLIBMC_FLAG_TEXT = 16;
/** pylibmc flag bits that mean the bytes are not text we may read. */
const PYLIBMC_FLAG_PICKLE = 1;
const PYLIBMC_FLAG_ZLIB = 8;

/** Longest key the text protocol accepts, in bytes. */
const MAX_KEY_BYTES = 250;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Refuse a key memcached's text protocol cannot carry (empty, over 250 UTF-8 bytes, with a
 * space or a control character), before anything is sent. pylibmc would send such a key as
 * is and break its connection, so Celery cannot use it either.
 * @internal
 */
export function assertMemcachedKey(key: string): void {
  let reason: string | undefined;
  if (typeof key !== 'string' || key.length === 0) reason = 'empty key';
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u0020\u007f]/.test(key))
    reason = 'memcached keys cannot hold spaces or control characters';
  else if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES)
    reason = `memcached keys are at most ${MAX_KEY_BYTES} bytes`;
  if (reason) throw new InvalidTaskIdError(key, reason);
}

/**
 * Stored bytes as text: UTF-8 JSON whatever the flags (pylibmc writes 16 for text, Celery's
 * python-memcached fallback 0, counters 4), but pickled (flag 1) or zlib-compressed (flag 8)
 * values and invalid UTF-8 are refused. Empty reads as `null`, as in Celery (PENDING).
 * @internal
 */
export function decodeStoredValue(
  key: string,
  flags: number,
  data: Buffer,
): string | null {
  if (flags & PYLIBMC_FLAG_PICKLE) {
    throw new MalformedResultError(
      key,
      `pickled value (memcached flags ${flags}); only JSON results can be read`,
    );
  }
  if (flags & PYLIBMC_FLAG_ZLIB) {
    throw new MalformedResultError(
      key,
      `zlib-compressed value (memcached flags ${flags}); turn off pylibmc compression`,
    );
  }
  if (data.length === 0) return null;
  try {
    return utf8.decode(data);
  } catch (err) {
    throw new MalformedResultError(
      key,
      'stored bytes are not UTF-8',
      data.toString('latin1', 0, 200),
      { cause: err },
    );
  }
}
