/**
 * A fresh in-memory backend per test, for specs that need a whole `ResultBackendService` but no
 * server (watch, wait and HTTP helpers).
 */
import type { ResultBackendService } from 'nestjs-celery-result-backend';
import { inMemoryResultBackend } from 'nestjs-celery-result-backend/testing';

/**
 * Call at `describe` level: opens an in-memory backend (`cache+memory://`, no settings read)
 * before each test and closes it after, also when the test failed. Returns a getter for the
 * current test's backend.
 */
export function inMemoryBackendPerTest(): () => ResultBackendService {
  let current: ResultBackendService | undefined;
  beforeEach(async () => {
    current = await inMemoryResultBackend();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (!current)
      throw new Error('the in-memory backend exists only inside a test');
    return current;
  };
}
