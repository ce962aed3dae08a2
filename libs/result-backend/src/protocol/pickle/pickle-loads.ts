/**
 * `loadsPickle`: read a pickle into inert JS values, with typed errors.
 */
import { malformed } from '../malformed.errors.js';
import { PickleFormatError, PickleInput } from './pickle-input.decoder.js';
import { PickleReader } from './pickle-reader.js';
import {
  pythonToCeleryJson,
  type PythonToCeleryJsonOptions,
} from './pickle-json.encoder.js';

/** Options of {@link loadsPickle}. @publicApi */
export interface LoadsPickleOptions {
  /** Store key named in errors. Default `<pickle>`. */
  readonly key?: string;
}

/**
 * Read a pickle into inert JS values: `None` → `null`, `bool`, `int` → `number` (or exact
 * `bigint` beyond 2^53), `float` → `number`, `str` → `string`, `bytes`/`bytearray` →
 * `Uint8Array`, `list`/`tuple` → arrays, `dict` → plain object (keys as `json.dumps`
 * writes them), `set`/`frozenset` → `Set`, allow-listed `datetime.*`, `decimal.Decimal`,
 * `uuid.UUID` and exceptions → the `Py*` classes, any other global → `UnknownPythonObject`.
 * Nothing is imported or called. A pickle that is truncated, refers to a missing memo entry,
 * uses persistent ids, extensions or out-of-band buffers, or is otherwise invalid throws a
 * `MalformedResultError` naming `options.key`.
 * @publicApi
 */
export function loadsPickle(
  bytes: Uint8Array,
  options?: LoadsPickleOptions,
): unknown {
  try {
    return new PickleReader(new PickleInput(bytes)).run();
  } catch (err) {
    const reason =
      err instanceof PickleFormatError
        ? err.message
        : err instanceof RangeError
          ? `pickle too large or too deep (${err.message})`
          : `unreadable pickle (${(err as Error).message})`;
    throw malformed(options?.key ?? '<pickle>', reason, hexExcerpt(bytes), err);
  }
}

function hexExcerpt(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 100), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
}

/** Options of {@link readPickledJson}: the key for errors, and how values convert. @publicApi */
export interface ReadPickledJsonOptions
  extends LoadsPickleOptions, PythonToCeleryJsonOptions {}

/**
 * `loadsPickle` then `pythonToCeleryJson`: the value as the library's Celery JSON model
 * (kombu envelopes for typed values, or the typed values themselves with `typed`). Every failure — bad pickle, refused call, recursion,
 * nesting beyond 1000 levels, expansion beyond 1,000,000 nodes — is a `MalformedResultError`
 * naming `options.key`.
 * @publicApi
 */
export function readPickledJson(
  bytes: Uint8Array,
  options?: ReadPickledJsonOptions,
): unknown {
  const value = loadsPickle(bytes, options);
  try {
    return pythonToCeleryJson(value, options);
  } catch (err) {
    throw malformed(
      options?.key ?? '<pickle>',
      (err as Error).message,
      hexExcerpt(bytes),
      err,
    );
  }
}
