/**
 * The fields of a stored Celery exception, for building `TaskFailedError`, `TaskRevokedError`
 * or `RemoteTaskError` in tests without spelling out the ones a test does not look at.
 */
import type { RemoteTaskError } from 'nestjs-celery-result-backend';

/** What a `RemoteTaskError` is built from (the library's `RemoteExceptionInfo`). */
export type RemoteExceptionFields = ConstructorParameters<
  typeof RemoteTaskError
>[0];

/**
 * A Python `excType` exception: `fields` over the defaults, a FAILURE of task `t` raised in
 * module `builtins` with no args and no traceback.
 */
export function remoteException(
  excType: string,
  fields: Partial<RemoteExceptionFields> = {},
): RemoteExceptionFields {
  return {
    taskId: 't',
    state: 'FAILURE',
    excType,
    excModule: 'builtins',
    excArgs: [],
    traceback: null,
    ...fields,
  };
}
