import { BackendDisabledError } from '../../errors/backend-disabled.error.js';
import type { ResultStore, WriteOutcome } from '../result-store.interface.js';

/**
 * `disabled://`: every call fails with `BackendDisabledError`, like Celery's DisabledBackend.
 * @internal
 */
export class DisabledResultStore implements ResultStore {
  readonly kind = 'disabled' as const;
  readonly description = 'disabled://';
  readonly autoExpires = true;

  get(): Promise<string | null> {
    return Promise.reject(new BackendDisabledError('get'));
  }
  mget(): Promise<(string | null)[]> {
    return Promise.reject(new BackendDisabledError('get_many'));
  }
  set(): Promise<WriteOutcome> {
    return Promise.reject(new BackendDisabledError('store_result'));
  }
  delete(): Promise<void> {
    return Promise.reject(new BackendDisabledError('forget'));
  }
  ping(): Promise<void> {
    return Promise.reject(new BackendDisabledError('ping'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
