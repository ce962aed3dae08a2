import type { BackendDefinition } from '../backend-definition.interface.js';
import { lazyFactory } from '../../utils/lazy-factory.util.js';
import { describeCouchDb } from './couchdb-http.client.js';
import { parseCouchDbUrl } from './couchdb-url.parser.js';
import {
  COUCHDB_EXAMPLE,
  type CouchDbBackendConfig,
} from './couchdb.options.js';

/** `couchdb://[user:pass@]host:port/db` and `couchdbs://` (bare name `couchdb`). @internal */
export const couchDbBackend: BackendDefinition<CouchDbBackendConfig> = {
  kind: 'couchdb',
  schemes: ['couchdb', 'couchdbs'],
  bareNames: { couchdb: () => 'couchdb://' },
  example: COUCHDB_EXAMPLE,
  parseUrl: (url) => parseCouchDbUrl(url),
  describe: describeCouchDb,
  create: lazyFactory(
    async () => (await import('./couchdb.store.js')).createCouchDbStore,
  ),
};
