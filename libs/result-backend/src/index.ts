/**
 * Celery result backend for NestJS: read, write and watch Celery task results in the stores a
 * Python Celery deployment uses, wire-compatible with Celery 5.x.
 *
 * More entry points: `nestjs-celery-result-backend/codec` (the Celery protocol: documents, keys,
 * exceptions), `nestjs-celery-result-backend/config` (URL parsing, backend configs, option resolution),
 * `nestjs-celery-result-backend/http` (HTTP helpers) and the Terminus indicator's own entry.
 * @packageDocumentation
 */
export { ResultBackendModule } from './result-backend.module.js';
export type { ResultBackendModuleExtras } from './result-backend.module-definition.js';
export type { ResultBackendModuleOptions } from './options/result-backend-options.interface.js';
export { ResultBackendService } from './result-backend.service.js';
export { createResultBackend } from './result-backend.factory.js';
export type { CreateResultBackendExtras } from './result-backend.factory.js';
export { DEFAULT_RESULT_BACKEND_NAME } from './result-backend.constants.js';
export { InjectResultBackend } from './decorators/inject-result-backend.decorator.js';
export { getResultBackendToken } from './result-backend.tokens.js';
export type { SettingReader } from './options/module-options.resolver.js';
export {
  fromConfigService,
  type ConfigGetter,
} from './options/from-config-service.adapter.js';
export type {
  FilesystemStoreOptions,
  RedisStoreOptions,
  S3StoreOptions,
} from './stores/store-options.js';
export type {
  ChordPartOptions,
  ChordPartResult,
  StoreResultOptions,
  WaitOptions,
  WatchOptions,
} from './interfaces/store-result-options.interface.js';
export type { TaskMeta } from './protocol/task-meta.js';
export { TaskStates, type TaskStatus } from './protocol/states.js';
export type { ResultStore } from './stores/result-store.interface.js';
export * from './errors/index.js';
