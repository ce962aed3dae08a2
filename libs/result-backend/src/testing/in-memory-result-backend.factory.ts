import type { ResultBackendModuleOptions } from '../options/result-backend-options.interface.js';
import { createResultBackend } from '../result-backend.factory.js';
import type { ResultBackendService } from '../result-backend.service.js';

/**
 * A `ResultBackendService` on Celery's in-memory backend (`cache+memory://`), for tests: no
 * server, results live in this process only. Close it (or let Nest close it) when done.
 * @example
 * const ref = await Test.createTestingModule({ imports: [AppModule] })
 *   .overrideProvider(ResultBackendService)
 *   .useFactory({ factory: () => inMemoryResultBackend() })
 *   .compile();
 * @publicApi
 */
export function inMemoryResultBackend(
  options: Omit<ResultBackendModuleOptions, 'url' | 'store' | 'settings'> = {},
): Promise<ResultBackendService> {
  return createResultBackend(
    { ...options, url: 'cache+memory://' },
    { read: () => undefined },
  );
}
