import { ImproperlyConfiguredError } from '../errors/improperly-configured.error.js';
import { missingPackageMessage } from '../result-backend.messages.js';

const cache = new Map<string, Promise<unknown>>();

/**
 * Import an optional peer dependency on first use (cached), so an app that uses only the
 * filesystem store never loads the AWS SDK. A missing package fails with an install hint.
 * @internal
 */
export function loadPackage<T>(name: string, usedFor: string): Promise<T> {
  let p = cache.get(name);
  if (!p) {
    p = import(name).catch((err: unknown) => {
      cache.delete(name);
      throw new ImproperlyConfiguredError(
        'CELERY_RESULT_BACKEND',
        missingPackageMessage(
          name,
          usedFor,
          // Node's first line says what is missing; the "Require stack" after it names our files.
          String((err as Error).message).split('\n')[0],
        ),
      );
    });
    cache.set(name, p);
  }
  return p as Promise<T>;
}
