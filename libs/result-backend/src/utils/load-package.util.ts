import { ImproperlyConfiguredError } from '../errors/improperly-configured.error.js';

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
        `the ${usedFor} needs the package "${name}" (${(err as Error).message}); install it with \`npm install ${name}\``,
      );
    });
    cache.set(name, p);
  }
  return p as Promise<T>;
}
