/**
 * Celery exception dicts (`{exc_type, exc_message, exc_module}`, spec §5): rebuilding them as
 * typed errors on read, and producing them from JS errors on write. Nothing is looked up by
 * name or evaluated; the Python type is plain data on the error.
 */
import type { RemoteTaskError } from '../errors/remote-task.error.js';
import { TaskFailedError } from '../errors/task-failed.error.js';
import { TaskRevokedError } from '../errors/task-revoked.error.js';
import { isExceptionState, isPropagateState } from './states.js';

/** A stored Celery exception, as Celery 5.2.6 writes it with the JSON serializer. @publicApi */
export interface ExceptionDict {
  /** Python class `__qualname__`, e.g. `ValueError` or `Outer.NestedError`. */
  exc_type: string;
  /** The exception args as an array (older writers stored one string). */
  exc_message: unknown;
  /** Python module (`builtins` for built-ins); null or absent when unknown. */
  exc_module?: string | null;
}

/** Python truthiness of a decoded JSON value (Celery returns no exception for falsy ones). */
function isFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '')
    return true;
  if (typeof value === 'number') return value === 0; // NaN is truthy in Python
  if (typeof value === 'bigint') return value === 0n;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * Rebuild the error of a stored exception result, like Celery's `exception_to_python` but
 * without any class lookup: REVOKED gives a `TaskRevokedError`, FAILURE and RETRY a
 * `TaskFailedError`, carrying `exc_type`, `exc_module` and the args.
 *
 * - Not an EXCEPTION state: `null`. RETRY with a falsy result (`null`, `{}`, `0`…): `null`
 *   (Celery: `None`).
 * - FAILURE or REVOKED with a falsy result (no exception stored): still an error, type
 *   `Exception`, module `null`, no args, whose message says no exception was stored. Celery
 *   5.2–5.6 `AsyncResult.get()` raises there too (`RuntimeError: No active exception to
 *   reraise`), so such a document never reads as a success.
 * - An array `exc_message` gives the args; any other value becomes the single arg (legacy
 *   string messages); a missing `exc_message` gives `[""]`, as Celery does.
 * - A result that is not an object, or has no string `exc_type`, still gives an error
 *   (Celery would raise while reading): type `Exception`, module `null`, and the stored
 *   value as the only arg. Reading never throws.
 * - Process-control types such as `SystemExit` or `KeyboardInterrupt` are just data.
 * @publicApi
 */
export function toRemoteError(
  taskId: string,
  state: string,
  result: unknown,
  traceback: string | null,
): RemoteTaskError | null {
  if (!isExceptionState(state)) return null;
  if (isFalsy(result))
    return isPropagateState(state)
      ? noExceptionStored(taskId, state, result, traceback)
      : null;
  let excType = 'Exception';
  let excModule: string | null = null;
  let excArgs: readonly unknown[] = [result];
  if (typeof result === 'object' && result !== null && !Array.isArray(result)) {
    const dict = result as Partial<Record<keyof ExceptionDict, unknown>>;
    if (typeof dict.exc_type === 'string' && dict.exc_type !== '') {
      excType = dict.exc_type;
      excModule = typeof dict.exc_module === 'string' ? dict.exc_module : null;
      const message = Object.hasOwn(dict, 'exc_message')
        ? dict.exc_message
        : '';
      excArgs = Array.isArray(message) ? (message as unknown[]) : [message];
    }
  }
  const info = { taskId, state, excType, excModule, excArgs, traceback };
  return state === 'REVOKED'
    ? new TaskRevokedError(info)
    : new TaskFailedError(info);
}

/**
 * The error of a FAILURE/REVOKED document without exception data: the stored value is shown
 * (`null`, `{}`, `0`…) so the message says what was found.
 */
function noExceptionStored(
  taskId: string,
  state: string,
  result: unknown,
  traceback: string | null,
): RemoteTaskError {
  const info = {
    taskId,
    state,
    excType: 'Exception',
    excModule: null,
    excArgs: [],
    traceback,
  };
  const shown =
    result === undefined
      ? 'missing'
      : typeof result === 'bigint'
        ? String(result)
        : (JSON.stringify(result) ?? 'none');
  const message = `Task ${taskId} is ${state} but no exception was stored (result: ${shown}); Celery's get() raises here too`;
  return state === 'REVOKED'
    ? new TaskRevokedError(info, message)
    : new TaskFailedError(info, message);
}
