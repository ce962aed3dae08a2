import type { BackendDefinition } from '../backend-definition.interface.js';
import { lazyFactory } from '../../utils/lazy-factory.util.js';
import type { MemoryBackendConfig } from './memory.options.js';

/** `cache+memory://`: in-process, for tests and eager mode. @internal */
export const memoryBackend: BackendDefinition<MemoryBackendConfig> = {
  kind: 'memory',
  schemes: ['cache+memory'],
  example: 'cache+memory://',
  parseUrl: () => ({ kind: 'memory' }),
  describe: () => 'cache+memory://',
  create: lazyFactory(
    async () => (await import('./memory.store.js')).createMemoryStore,
  ),
};
