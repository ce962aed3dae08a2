import { ImproperlyConfiguredError } from 'nestjs-celery-result-backend';
import {
  parseBackendUrl,
  type BackendConfig,
} from 'nestjs-celery-result-backend/config';

/** The `ImproperlyConfiguredError` that `fn` throws (fails the test when it throws nothing else). */
export function configError(fn: () => unknown): ImproperlyConfiguredError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ImproperlyConfiguredError) return err;
    throw err;
  }
  throw new Error('expected an ImproperlyConfiguredError');
}

/** `parseBackendUrl(url, settings)`, checked to be of `kind` (and typed so). */
export function parseAs<K extends BackendConfig['kind']>(
  kind: K,
  url: string,
  settings?: Parameters<typeof parseBackendUrl>[1],
): Extract<BackendConfig, { kind: K }> {
  const config = parseBackendUrl(url, settings);
  if (config.kind !== kind)
    throw new Error(`expected ${kind}, got ${config.kind}`);
  return config as Extract<BackendConfig, { kind: K }>;
}

/** {@link parseAs} with the kind bound: the parser of one backend's URLs, for its specs. */
export function parserOf<K extends BackendConfig['kind']>(
  kind: K,
): (
  url: string,
  settings?: Parameters<typeof parseBackendUrl>[1],
) => Extract<BackendConfig, { kind: K }> {
  return (url, settings) => parseAs(kind, url, settings);
}

/**
 * The error `parseBackendUrl(url, settings)` throws for a refused URL, checked to name
 * `CELERY_RESULT_BACKEND`, to show an example starting with `example` and (when given) never
 * to contain `secret`; returned for further checks.
 */
export function urlRefusal(
  url: string,
  example: string,
  secret?: string,
  settings?: Parameters<typeof parseBackendUrl>[1],
): ImproperlyConfiguredError {
  const err = configError(() => parseBackendUrl(url, settings));
  expect(err.setting).toBe('CELERY_RESULT_BACKEND');
  expect(err.message).toContain(`for example: ${example}`);
  if (secret !== undefined) expect(err.message).not.toContain(secret);
  return err;
}
