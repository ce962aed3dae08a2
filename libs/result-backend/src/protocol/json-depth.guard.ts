/**
 * The one JSON nesting limit of the library, checked without recursion so that it does not
 * depend on the call stack (spec §2). Pure, no I/O.
 */
import { JsonDepthError } from '../errors/json-depth.error.js';

/**
 * Most arrays/objects nested in one JSON document this library reads or writes, counted from
 * the top (a task meta object is level 1, its `result` list level 2). Deeper text gives a
 * `JsonDepthError` on every store and every path (read, write, watch, chord entries).
 *
 * Measured with Debian's python3-celery 5.2.6 (kombu 5.2.4, Python 3.11, recursion limit
 * 1000): Python's C `json` scanner and encoder count one recursion level per container, so
 * `kombu.utils.json.loads`/`dumps` handle at most 993 levels from a shallow stack (992 inside
 * a task meta's `result`), and fewer when called deep inside a worker. 1000 therefore reads
 * everything Celery can write; a value between 993 and 1000 levels is written, but Celery
 * itself cannot decode it (`RecursionError`).
 * @publicApi
 */
export const MAX_JSON_DEPTH = 1000;

/** The typed error for text nested deeper than {@link MAX_JSON_DEPTH}. @internal */
export function tooDeepToParse(): JsonDepthError {
  return new JsonDepthError(MAX_JSON_DEPTH, 'parse');
}

/** The typed error for a value nested deeper than {@link MAX_JSON_DEPTH}. @internal */
export function tooDeepToWrite(): JsonDepthError {
  return new JsonDepthError(MAX_JSON_DEPTH, 'stringify');
}

/** A JS array-index key, which JS objects always enumerate first. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,9})$/;

/** False for an integral number beyond 2^53 (maybe a rounded big integer). */
function isExactNumber(value: number): boolean {
  return !Number.isInteger(value) || Number.isSafeInteger(value);
}

/**
 * What {@link checkNativeJson} found: `inexact` when `JSON.parse` may have lost something;
 * else `envelope-keys` when some object has two keys, one of them `__type__` (it may be a
 * kombu envelope), or `plain`. @internal
 */
export type NativeJsonCheck = 'inexact' | 'plain' | 'envelope-keys';

/**
 * Walk a `JSON.parse` result iteratively. Throws a `JsonDepthError` when it nests deeper
 * than {@link MAX_JSON_DEPTH}; gives `inexact` when `JSON.parse` may have lost something (an
 * integral number beyond 2^53, or an object with an integer-like key, whose stored order JS
 * cannot keep), so that the caller re-reads the text with the exact scanner. The same walk
 * notes objects that may be kombu envelopes, so readers need no search of the text for them.
 * @internal
 */
export function checkNativeJson(value: unknown): NativeJsonCheck {
  if (typeof value === 'number')
    return isExactNumber(value) ? 'plain' : 'inexact';
  if (typeof value !== 'object' || value === null) return 'plain';
  let envelopeKeys = false;
  // One stack of containers and one of their depths; items are checked in place (no copies).
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const current = values.pop() as object;
    const depth = depths.pop() as number;
    if (depth > MAX_JSON_DEPTH) throw tooDeepToParse();
    if (Array.isArray(current)) {
      const items = current as unknown[];
      for (let i = 0; i < items.length; i++)
        if (!visit(items[i], values, depths, depth)) return 'inexact';
      continue;
    }
    const obj = current as Record<string, unknown>;
    const keys = Object.keys(obj);
    // JS lists integer-like keys first, so only the first key needs a look.
    const c = keys.length > 0 ? keys[0].charCodeAt(0) : 0;
    if (c >= 0x30 && c <= 0x39 && INDEX_KEY.test(keys[0])) return 'inexact';
    if (keys.length === 2 && (keys[0] === '__type__' || keys[1] === '__type__'))
      envelopeKeys = true;
    for (let i = 0; i < keys.length; i++)
      if (!visit(obj[keys[i]], values, depths, depth)) return 'inexact';
  }
  return envelopeKeys ? 'envelope-keys' : 'plain';
}
/** One item of a container at `depth`: false for an inexact number; containers are stacked. */
function visit(
  item: unknown,
  values: object[],
  depths: number[],
  depth: number,
): boolean {
  if (typeof item === 'number') return isExactNumber(item);
  if (typeof item === 'object' && item !== null) {
    values.push(item);
    depths.push(depth + 1);
  }
  return true;
}
