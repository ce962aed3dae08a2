/**
 * Turning a thrown JS value into the exception dict Celery stores (spec §5.1).
 */
import { EnvelopeShapedValueError } from '../errors/envelope-shaped-value.error.js';
import { RemoteTaskError } from '../errors/remote-task.error.js';
import { stringifyCeleryJson } from './celery-json.encoder.js';
import type { ExceptionDict } from './exceptions.js';
import {
  JS_TO_PYTHON_ERROR,
  PYTHON_BUILTIN_EXCEPTIONS,
} from './python-builtins.constants.js';
import { isExceptionState } from './states.js';

/**
 * `exc_module` written for JS errors that have no Python builtin equivalent (e.g. Nest's
 * `NotFoundException`). A Celery client has no such module loaded, so it synthesises an
 * `Exception` subclass of that name in `celery.exceptions` (verified with Celery 5.2.6), and
 * `get()` raises `celery.exceptions.NotFoundException(...)`.
 * @publicApi
 */
export const JS_EXCEPTION_MODULE = 'nestjs';

/** A short readable stand-in for a value JSON cannot carry (Celery uses `safe_repr`). */
function reprLike(value: unknown): string {
  if (value instanceof Set)
    return `{${[...value].map((v) => reprLike(v)).join(', ')}}`;
  if (typeof value === 'function')
    return `<function ${value.name || 'anonymous'}>`;
  if (typeof value === 'symbol') return value.toString();
  if (ArrayBuffer.isView(value))
    return `<${value.constructor.name} of ${value.byteLength} bytes>`;
  if (value instanceof Error)
    return `${value.name}(${JSON.stringify(value.message)})`;
  if (typeof value === 'object' && value !== null) {
    return `<${value.constructor?.name ?? 'object'}>`;
  }
  return String(value);
}

/**
 * Each arg kept when it JSON-encodes (typed values and bytes included: kombu ≥ 5.3 writes
 * them), else replaced by its repr-like text (per arg, as Celery). An envelope-shaped object
 * is not replaced: the writer refuses it with its path.
 */
function serializableArgs(args: readonly unknown[]): unknown[] {
  return args.map((arg) => {
    try {
      stringifyCeleryJson(arg, { kombuTagged: true });
      return arg;
    } catch (err) {
      if (err instanceof EnvelopeShapedValueError) return arg;
      return reprLike(arg);
    }
  });
}

/**
 * The exception dict to store for a thrown value:
 * - a `RemoteTaskError` (read from a store) keeps its `exc_type`, `exc_module` and args, so a
 *   result copies between backends unchanged;
 * - a JS `Error` gets a Python-looking type: `Error` → `Exception`, `RangeError` and
 *   `SyntaxError` → `ValueError`, other names kept (`TypeError` stays `TypeError`); module
 *   `builtins` when the name is a Python builtin exception, else {@link JS_EXCEPTION_MODULE};
 *   args `[message]`, or `[]` for an empty message (like Python's `ValueError()`);
 * - any other value (string, number, plain object, array, `null`, `undefined`) is written as
 *   if wrapped in Python's `Exception(value)`: `{"exc_type": "Exception", "exc_message":
 *   [value], "exc_module": "builtins"}` (`undefined`, which JSON cannot carry, as the text
 *   `"undefined"`), so Celery's `get()` raises
 *   e.g. `Exception('plain string thrown')`.
 * Args that cannot be JSON encoded are replaced by a repr-like string, one by one (Celery's
 * `prepare_exception` with `ensure_serializable`, celery/backends/base.py).
 * @publicApi
 */
export function errorToExceptionDict(err: unknown): ExceptionDict {
  if (err instanceof RemoteTaskError) {
    return {
      exc_type: err.excType,
      exc_message: serializableArgs(err.excArgs),
      exc_module: err.excModule,
    };
  }
  if (err instanceof Error) {
    const name =
      typeof err.name === 'string' && err.name !== '' ? err.name : 'Error';
    const excType = JS_TO_PYTHON_ERROR[name] ?? name;
    const message =
      typeof err.message === 'string' ? err.message : String(err.message);
    return {
      exc_type: excType,
      exc_message: message === '' ? [] : [message],
      exc_module: PYTHON_BUILTIN_EXCEPTIONS.has(excType)
        ? 'builtins'
        : JS_EXCEPTION_MODULE,
    };
  }
  return {
    exc_type: 'Exception',
    exc_message: err === undefined ? ['undefined'] : serializableArgs([err]),
    exc_module: 'builtins',
  };
}

/** A plain object that already is a Celery exception dict (has a string `exc_type`). */
function isExceptionDict(value: unknown): value is ExceptionDict {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Error) &&
    typeof (value as { exc_type?: unknown }).exc_type === 'string'
  );
}

/**
 * The `result` to store for `state`, mirroring Celery's `Backend.encode_result` (celery
 * 5.2.6 celery/backends/base.py) so that Celery's `exception_to_python` can always read it:
 * - not an exception state (FAILURE, RETRY, REVOKED): the value unchanged;
 * - a dict with a string `exc_type` (already an exception dict): unchanged;
 * - RETRY with `null`/`undefined` (no exception): `null`, as `mark_as_retry(exc=None)`
 *   stores and Celery reads back as `result None`;
 * - anything else through {@link errorToExceptionDict}. Celery itself stores a non-exception
 *   failure value as is, which its own reader then rejects (`ValueError`, `TypeError`, or
 *   `get()` raising on `None`); here it becomes `Exception(value)` instead.
 * @publicApi
 */
export function toStoredExceptionResult(
  state: string,
  value: unknown,
): unknown {
  if (!isExceptionState(state) || isExceptionDict(value)) return value;
  if (state === 'RETRY' && (value === null || value === undefined)) return null;
  return errorToExceptionDict(value);
}
