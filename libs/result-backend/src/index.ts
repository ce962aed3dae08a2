/**
 * Celery result backend for NestJS: read, write and watch Celery task results in the stores a
 * Python Celery deployment uses, wire-compatible with Celery 5.x.
 * @packageDocumentation
 */
export { ResultBackendModule } from './result-backend.module.js';
export type { ResultBackendModuleExtras } from './result-backend.module-definition.js';
export { ResultBackendService } from './result-backend.service.js';
export { createResultBackend } from './result-backend.factory.js';
export type { CreateResultBackendExtras } from './result-backend.factory.js';
export { DEFAULT_RESULT_BACKEND_NAME } from './result-backend.constants.js';
export { InjectResultBackend } from './decorators/inject-result-backend.decorator.js';
export { getResultBackendToken } from './utils/get-result-backend-token.util.js';
export type { ChordPartOptions } from './chord/chord-coordinator.js';
export type * from './interfaces/result-backend-options.interface.js';
export type * from './interfaces/store-result-options.interface.js';
export type * from './config/backend-config.interface.js';
export type * from './stores/result-store.interface.js';
export type * from './stores/store-context.interface.js';
export * from './errors/index.js';
export * from './protocol/index.js';
export * from './config/index.js';
export {
  installPostgresqlNotifyTrigger,
  removePostgresqlNotifyTrigger,
  type PostgresqlNotifyTriggerOptions,
} from './stores/postgresql/postgresql-notify-trigger.util.js';
export {
  POSTGRESQL_NOTIFY_CHANNEL,
  POSTGRESQL_NOTIFY_TRIGGER,
} from './stores/postgresql/postgresql-notify.push.js';
