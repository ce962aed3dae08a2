import {
  COUCHDB_EXAMPLE,
  type CouchDbBackendConfig,
} from './couchdb.options.js';
import { urlError } from '../../config/config.errors.js';
import { partsOrError } from '../../config/url-parts-or-error.parser.js';

/** CouchDB's rule for database names (plus the system databases). */
const DB_NAME =
  /^(?:_users|_replicator|_global_changes|[a-z][a-z0-9_$()+/-]*)$/;

/**
 * `couchdb://[user:pass@]host[:port]/container` as Celery's `CouchBackend` (defaults
 * localhost, 5984, database `default`; always http), and `couchdbs://` for https (our
 * extension, same default port). The query is ignored, as in Celery.
 * @internal
 */
export function parseCouchDbUrl(url: string): CouchDbBackendConfig {
  const example = COUCHDB_EXAMPLE;
  const parts = partsOrError(url, { example, secrets: [] });
  const secrets = [parts.password];
  const database = (parts.path ?? '').replace(/^\/+|\/+$/g, '') || 'default';
  if (!DB_NAME.test(database)) {
    throw urlError(
      url,
      'a CouchDB database name must start with a lower-case letter and hold only a-z, 0-9 and _ $ ( ) + - /',
      example,
      secrets,
    );
  }
  return {
    kind: 'couchdb',
    protocol: parts.scheme === 'couchdbs' ? 'https' : 'http',
    host: parts.hostname ?? 'localhost',
    port: parts.port ?? 5984,
    database,
    ...(parts.username !== undefined ? { username: parts.username } : {}),
    ...(parts.password !== undefined ? { password: parts.password } : {}),
  };
}
