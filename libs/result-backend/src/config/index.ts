export type * from './host-port.interface.js';
export type * from '../stores/backend-definition.interface.js';
export type { BackendConfig, BackendKind } from '../stores/backends.js';
export type * from '../stores/redis/redis.options.js';
export type * from '../stores/s3/s3.options.js';
export type * from '../stores/filesystem/filesystem.options.js';
export type * from '../stores/couchdb/couchdb.options.js';
export type * from '../stores/memcached/memcached.options.js';
export type * from '../stores/memory/memory.options.js';
export type * from '../stores/disabled/disabled.options.js';
export * from '../options/resolved-options.interface.js';
export { parseBackendUrl } from '../stores/parse-backend-url.util.js';
export { maskUrl } from './mask-url.util.js';
export { describeBackend } from '../stores/describe-backend.util.js';
export {
  resolveModuleOptions,
  type SettingReader,
} from '../options/resolve-module-options.util.js';
export {
  RESULT_BACKEND_SETTINGS,
  RESULT_BACKEND_DEFAULTS,
} from './setting-names.constants.js';
