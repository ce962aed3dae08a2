/**
 * Configuration (`nestjs-celery-result-backend/config`): parse and describe a Celery `result_backend`
 * URL, the parsed backend configs, the option resolution the module runs, the setting names,
 * and the contract a custom store implements beyond `ResultStore`.
 * @packageDocumentation
 */
export type { HostPort } from './config/host-port.interface.js';
export { maskUrl } from './config/mask-url.util.js';
export {
  RESULT_BACKEND_DEFAULTS,
  RESULT_BACKEND_SETTINGS,
} from './config/setting-names.constants.js';
export type { BackendSettings } from './stores/backend-definition.interface.js';
export type { BackendConfig, BackendKind } from './stores/backends.js';
export type {
  OutageReporter,
  StoreContext,
} from './stores/store-context.interface.js';
export type {
  StoreChordCounter,
  StoreChordRows,
  StoreEvent,
  StorePush,
  WriteOutcome,
} from './stores/result-store.interface.js';
export type { RemoteExceptionInfo } from './errors/remote-task.error.js';
export { parseBackendUrl } from './stores/backend-url.parser.js';
export { describeBackend } from './stores/backend.describer.js';
export type * from './options/resolved-options.interface.js';
export type * from './stores/store-options.js';
export { resolveModuleOptions } from './options/module-options.resolver.js';
export type {
  RedisBackendConfig,
  RedisClusterBackendConfig,
  RedisConnectionConfig,
  RedisTlsConfig,
  RedisTlsSettings,
  SentinelBackendConfig,
} from './stores/redis/redis.options.js';
export type { S3BackendConfig } from './stores/s3/s3.options.js';
export type {
  FilesystemBackendConfig,
  FilesystemWatchMode,
} from './stores/filesystem/filesystem.options.js';
export type { CouchDbBackendConfig } from './stores/couchdb/couchdb.options.js';
export type { MemcachedBackendConfig } from './stores/memcached/memcached.options.js';
export type { MemoryBackendConfig } from './stores/memory/memory.options.js';
export type { DisabledBackendConfig } from './stores/disabled/disabled.options.js';
export type {
  PgPoolLike,
  PostgresqlLayoutName,
  PostgresqlBackendConfig,
  PostgresqlTlsConfig,
} from './stores/postgresql/postgresql.options.js';
export {
  installPostgresqlNotifyTrigger,
  removePostgresqlNotifyTrigger,
  type PostgresqlNotifyTriggerOptions,
} from './stores/postgresql/postgresql-notify.trigger.js';
export {
  POSTGRESQL_NOTIFY_CHANNEL,
  POSTGRESQL_NOTIFY_TRIGGER,
} from './stores/postgresql/postgresql-notify.push.js';
