import type { BackendDefinition } from '../backend-definition.interface.js';
import { lazyFactory } from '../../utils/lazy-factory.util.js';
import {
  POSTGRESQL_SCHEMES,
  describePostgresql,
  djangoDbUrl,
  parsePostgresqlUrl,
} from './postgresql-url.parser.js';
import {
  POSTGRESQL_EXAMPLE,
  type PostgresqlBackendConfig,
} from './postgresql.options.js';

/**
 * `db+postgresql://` (Celery's SQLAlchemy `DatabaseBackend` tables) and
 * `django-db+postgresql://` or bare `django-db` with `postgresql.databaseUrl`
 * (django-celery-results' tables), plus the `postgresql` settings.
 * @internal
 */
export const postgresqlBackend: BackendDefinition<PostgresqlBackendConfig> = {
  kind: 'postgresql',
  schemes: POSTGRESQL_SCHEMES,
  bareNames: { 'django-db': (settings) => djangoDbUrl(settings.postgresql) },
  example: POSTGRESQL_EXAMPLE,
  parseUrl: (url, settings) => parsePostgresqlUrl(url, settings.postgresql),
  describe: describePostgresql,
  create: lazyFactory(
    async () => (await import('./postgresql.store.js')).createPostgresqlStore,
  ),
};
