import type { BackendDefinition } from '../backend-definition.interface.js';
import { lazyFactory } from '../../utils/lazy-factory.util.js';
import { describeSentinel } from './redis.describer.js';
import { REDIS_EXAMPLES } from './redis-examples.constants.js';
import type { SentinelBackendConfig } from './redis.options.js';
import { parseSentinelUrl } from './sentinel-url.parser.js';

/** `sentinel://h1:p;sentinel://h2:p` with `master_name`. @internal */
export const sentinelBackend: BackendDefinition<SentinelBackendConfig> = {
  kind: 'sentinel',
  schemes: ['sentinel'],
  example: REDIS_EXAMPLES.sentinel,
  parseUrl: (url, settings) => parseSentinelUrl(url, settings.redis),
  describe: describeSentinel,
  create: lazyFactory(
    async () => (await import('./redis-sentinel.store.js')).createSentinelStore,
  ),
};
