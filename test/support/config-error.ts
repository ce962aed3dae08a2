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
